import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { podAndContainers, securityContext, usesUserNamespace } from '../../kube/containers.js';
import { containerRule, podRule, celField, USER_NAMESPACE_POD } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-RUN-AS-USER-NOT-ZERO',
  title: 'Containers must not set runAsUser: 0',
  rationale: 'runAsUser: 0 runs the container as root and overrides a non-root USER in the image.',
  nsaSection: 'Kubernetes Pod security › Non-root containers and rootless container engines',
  pss: { level: 'restricted', check: 'runAsUser' },
  severity: 'medium',
  versions: {
    sinceMinor: 23,
    changes: [{ minor: 35, change: 'pods with hostUsers: false (user namespaces) are exempt.' }],
  },
  remediation: {
    text: 'Set runAsUser to a non-zero UID (or leave it unset and set a non-root USER in the image).',
    snippet: 'securityContext:\n  runAsUser: 10001\n',
  },
  references: { kubescape: ['C-0013'], trivy: ['KSV-0105'], cis: ['5.2.7'] },
  frameworks: ['nsa', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => {
      const unless = version.minor >= 35 ? USER_NAMESPACE_POD : undefined;
      const field = 'securityContext.runAsUser';
      const must = 'must not be 0';
      return [
        podRule(meta, { violates: celField('variables.spec', field, (v) => `${v} == 0`), field, must, unless }),
        containerRule(meta, { violates: celField('c', field, (v) => `${v} == 0`), field, must, unless }),
      ];
    },
  },
  check({ spec, specPath, version }) {
    if (version.minor >= 35 && usesUserNamespace(spec)) return [];
    const violations: Violation[] = [];
    for (const { owner, path, who } of podAndContainers(spec, specPath)) {
      if (securityContext(owner)?.runAsUser === 0) {
        violations.push({ path: [...path, 'securityContext', 'runAsUser'], message: `${who} sets securityContext.runAsUser: 0` });
      }
    }
    return violations;
  },
};
