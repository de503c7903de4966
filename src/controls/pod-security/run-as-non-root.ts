import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, securityContext, usesUserNamespace } from '../../kube/containers.js';
import { present, stringOf } from '../../util/object.js';
import { containerRule, podRule, celField, celHas, USER_NAMESPACE_POD } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-RUN-AS-NON-ROOT',
  title: 'Containers must run as non-root',
  rationale:
    'Root in a container is root on the node as soon as any isolation layer fails. runAsNonRoot makes the kubelet ' +
    'refuse to start a container whose user is 0.',
  nsaSection: 'Kubernetes Pod security › Non-root containers and rootless container engines',
  pss: { level: 'restricted', check: 'runAsNonRoot' },
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    changes: [{ minor: 35, change: 'pods with hostUsers: false (user namespaces) are exempt.' }],
  },
  remediation: {
    text: 'Set runAsNonRoot: true in the pod securityContext (or on every container) and run as a non-zero UID.',
    snippet: 'spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n',
  },
  references: { kubescape: ['C-0013'], trivy: ['KSV-0012'], cis: ['5.2.7'] },
  frameworks: ['nsa', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => {
      const unless = version.minor >= 35 ? USER_NAMESPACE_POD : undefined;
      const podTrue = celField('variables.spec', 'securityContext.runAsNonRoot', (v) => `${v} == true`);
      return [
        podRule(meta, { violates: celField('variables.spec', 'securityContext.runAsNonRoot', (v) => `${v} != true`), field: 'securityContext.runAsNonRoot', must: 'must be true', unless }),
        containerRule(meta, {
          violates: `(${celHas('c', 'securityContext.runAsNonRoot')} ? c.securityContext.runAsNonRoot != true : !${podTrue})`,
          field: 'securityContext.runAsNonRoot',
          must: 'must be true (here or in the pod securityContext)',
          unless,
        }),
      ];
    },
  },
  check({ spec, specPath, version }) {
    if (version.minor >= 35 && usesUserNamespace(spec)) return [];
    const violations: Violation[] = [];
    const podValue = securityContext(spec)?.runAsNonRoot;
    if (present(podValue) && podValue !== true) {
      violations.push({
        path: [...specPath, 'securityContext', 'runAsNonRoot'],
        message: `pod sets securityContext.runAsNonRoot: ${stringOf(podValue)}`,
      });
    }
    const podRunsAsNonRoot = podValue === true;
    for (const ref of containersOf(spec, specPath)) {
      const value = securityContext(ref.container)?.runAsNonRoot;
      const path = [...ref.path, 'securityContext', 'runAsNonRoot'];
      if (present(value)) {
        if (value !== true) {
          violations.push({ path, message: `container "${ref.name}" sets securityContext.runAsNonRoot: ${stringOf(value)}` });
        }
      } else if (!podRunsAsNonRoot) {
        violations.push({ path, message: `neither the pod nor container "${ref.name}" sets securityContext.runAsNonRoot: true` });
      }
    }
    return violations;
  },
};
