import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, isWindowsPod, securityContext } from '../../kube/containers.js';
import { containerRule, celField, WINDOWS_POD } from '../../engine/admission-cel.js';
import { stringOf } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'POD-NO-PRIV-ESCALATION',
  title: 'Containers must set allowPrivilegeEscalation: false',
  rationale:
    'Unless it is turned off, a process can gain more privileges than its parent through setuid binaries or file ' +
    'capabilities, which undoes running as non-root.',
  nsaSection: 'Kubernetes Pod security › Non-root containers (allowPrivilegeEscalation: false)',
  pss: { level: 'restricted', check: 'allowPrivilegeEscalation' },
  severity: 'medium',
  versions: { sinceMinor: 8, changes: [{ minor: 25, change: 'pods with spec.os.name: windows are exempt.' }] },
  remediation: {
    text: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    snippet: 'securityContext:\n  allowPrivilegeEscalation: false\n',
  },
  references: { kubescape: ['C-0016'], trivy: ['KSV-0001'], cis: ['5.2.6'] },
  frameworks: ['nsa', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => [
      containerRule(meta, {
        violates: `!${celField('c', 'securityContext.allowPrivilegeEscalation', (v) => `${v} == false`)}`,
        field: 'securityContext.allowPrivilegeEscalation',
        must: 'must be false',
        unless: version.minor >= 25 ? WINDOWS_POD : undefined,
      }),
    ],
  },
  check({ spec, specPath, version }) {
    if (version.minor >= 25 && isWindowsPod(spec)) return [];
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      const value = securityContext(ref.container)?.allowPrivilegeEscalation;
      if (value !== false) {
        violations.push({
          path: [...ref.path, 'securityContext', 'allowPrivilegeEscalation'],
          message:
            value === undefined || value === null
              ? `container "${ref.name}" does not set securityContext.allowPrivilegeEscalation: false`
              : `container "${ref.name}" sets securityContext.allowPrivilegeEscalation: ${stringOf(value)}`,
        });
      }
    }
    return violations;
  },
};
