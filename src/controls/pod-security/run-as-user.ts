import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, securityContext, usesUserNamespace } from '../../kube/containers.js';

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
  check({ spec, specPath, version }) {
    if (version.minor >= 35 && usesUserNamespace(spec)) return [];
    const violations: Violation[] = [];
    if (securityContext(spec)?.runAsUser === 0) {
      violations.push({ path: [...specPath, 'securityContext', 'runAsUser'], message: 'pod sets securityContext.runAsUser: 0' });
    }
    for (const ref of containersOf(spec, specPath)) {
      if (securityContext(ref.container)?.runAsUser === 0) {
        violations.push({
          path: [...ref.path, 'securityContext', 'runAsUser'],
          message: `container "${ref.name}" sets securityContext.runAsUser: 0`,
        });
      }
    }
    return violations;
  },
};
