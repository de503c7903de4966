import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, securityContext } from '../../kube/containers.js';
import { array, record, stringOf } from '../../util/object.js';
import { containerRule, celField, celStrings } from '../../engine/admission-cel.js';

/** The capabilities container runtimes grant by default; baseline lets pods add only these. */
export const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const meta: ControlMeta = {
  id: 'POD-CAPS-BASELINE',
  title: 'Containers may add only default capabilities',
  rationale:
    'Capabilities beyond the runtime defaults (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ...) give root-like power over ' +
    'the node kernel and are the usual first step of a container escape.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (capabilities)',
  pss: { level: 'baseline', check: 'capabilities_baseline' },
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove capabilities outside the default set from securityContext.capabilities.add.',
    snippet: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]\n',
  },
  references: { trivy: ['KSV-0022'], cis: ['5.2.9'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, {
        violates: celField('c', 'securityContext.capabilities.add', (v) => `${v}.exists(a, !(a in ${celStrings(DEFAULT_CAPABILITIES)}))`),
        field: 'securityContext.capabilities.add',
        must: 'must add only capabilities of the baseline set',
      }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      const capabilities = record(securityContext(ref.container)?.capabilities);
      array(capabilities?.add).forEach((capability, index) => {
        if (!DEFAULT_CAPABILITIES.has(stringOf(capability))) {
          violations.push({
            path: [...ref.path, 'securityContext', 'capabilities', 'add', index],
            message: `container "${ref.name}" adds capability ${stringOf(capability)}, which is not in the baseline set`,
          });
        }
      });
    }
    return violations;
  },
};
