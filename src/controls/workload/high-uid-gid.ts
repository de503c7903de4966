import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, isWindowsPod, securityContext, usesUserNamespace } from '../../kube/containers.js';
import { containerRule, podRule, celField, celHas, USER_NAMESPACE_POD, WINDOWS_POD } from '../../engine/admission-cel.js';

/** UIDs and GIDs below this are where distributions put their system and first human accounts. */
export const HIGH_ID = 10000;

export const meta: ControlMeta = {
  id: 'POD-HIGH-UID-GID',
  title: 'Pods should run with user and group IDs of 10000 or more',
  rationale:
    'Without user namespaces a container\'s UID is the host\'s UID. IDs below 10000 belong to the host\'s system ' +
    'and human accounts (1000 is usually the first person): a process that escapes the container as such an ID ' +
    'gets that account\'s files on the node. Low severity, defence in depth only: it matters after an escape, and ' +
    'Pod Security Standards do not require it (restricted only forbids 0, which POD-RUN-AS-USER-NOT-ZERO and ' +
    'POD-NON-ROOT-GROUPS report, so 0 is left to them). Unset IDs come from the image and are not judged; pods ' +
    'with hostUsers: false (user namespaces) and Windows pods are exempt.',
  nsaSection: 'Kubernetes Pod security › Non-root containers (App. C: users and groups in a non-root range)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Run as a UID and GID of 10000 or more (and build the image for it), or isolate the pod with hostUsers: false.',
    snippet: 'spec:\n  securityContext:\n    runAsUser: 10001\n    runAsGroup: 10001\n    fsGroup: 10001\n',
  },
  references: { checkov: ['CKV_K8S_40'], trivy: ['KSV-0020', 'KSV-0021'], kubesec: ['RunAsUser'] },
  frameworks: ['nsa'],
};

const low = (value: unknown): value is number => typeof value === 'number' && value > 0 && value < HIGH_ID;

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => {
      const unless = `${WINDOWS_POD} || ${USER_NAMESPACE_POD}`;
      // A custom resource keeps what was written: a string is not an ID, as the scanner reads it.
      const isLow = (v: string) => `type(${v}) == int && ${v} > 0 && ${v} < ${HIGH_ID}`;
      const must = `must be ${HIGH_ID} or more`;
      return [
        ...(['runAsUser', 'runAsGroup'] as const).flatMap((id) => {
          const field = `securityContext.${id}`;
          // A pod-level ID that every container overrides never runs.
          const someContainerInherits = `variables.allContainers.exists(c, !(has(c.securityContext) && c.securityContext != null && has(c.securityContext.${id})))`;
          return [
            podRule(meta, { violates: `${celField('variables.spec', field, isLow)} && ${someContainerInherits}`, field, must, unless }),
            containerRule(meta, { violates: celField('c', field, isLow), field, must, unless }),
          ];
        }),
        podRule(meta, { violates: celField('variables.spec', 'securityContext.fsGroup', isLow), field: 'securityContext.fsGroup', must, unless }),
      ];
    },
  },
  check({ spec, specPath }) {
    if (isWindowsPod(spec) || usesUserNamespace(spec)) return [];
    const violations: Violation[] = [];
    const podContext = securityContext(spec);
    const containers = containersOf(spec, specPath);
    for (const field of ['runAsUser', 'runAsGroup'] as const) {
      const podValue = podContext?.[field];
      // A pod-level ID that every container overrides never runs.
      if (low(podValue) && containers.some((ref) => securityContext(ref.container)?.[field] === undefined)) {
        violations.push({ path: [...specPath, 'securityContext', field], message: `pod sets securityContext.${field}: ${podValue}, below ${HIGH_ID}` });
      }
      for (const ref of containers) {
        const value = securityContext(ref.container)?.[field];
        if (low(value)) {
          violations.push({ path: [...ref.path, 'securityContext', field], message: `container "${ref.name}" sets securityContext.${field}: ${value}, below ${HIGH_ID}` });
        }
      }
    }
    const fsGroup = podContext?.fsGroup;
    if (low(fsGroup)) {
      violations.push({ path: [...specPath, 'securityContext', 'fsGroup'], message: `pod sets securityContext.fsGroup: ${fsGroup}, below ${HIGH_ID}` });
    }
    return violations;
  },
};
