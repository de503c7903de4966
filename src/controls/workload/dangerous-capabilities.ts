import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, securityContext } from '../../kube/containers.js';
import { array, record, stringOf } from '../../util/object.js';
import { containerRule, celField } from '../../engine/admission-cel.js';

/** Kubescape's default insecureCapabilities: each alone is enough to escape or to attack the node network. --dangerous-capability replaces the list. */
export const DANGEROUS_CAPABILITIES: ReadonlySet<string> = new Set([
  'ALL', 'SYS_ADMIN', 'NET_ADMIN', 'NET_RAW', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PTRACE', 'SYS_BOOT', 'MAC_OVERRIDE',
  'MAC_ADMIN', 'PERFMON', 'BPF', 'SETPCAP',
]);

/** `CAP_SYS_ADMIN`, `sys_admin` and `SYS_ADMIN` are the same capability to the runtime. */
export function capabilityName(value: unknown): string {
  return stringOf(value).toUpperCase().replace(/^CAP_/, '');
}

export const meta: ControlMeta = {
  id: 'POD-NO-DANGEROUS-CAPS',
  title: 'Containers must not add dangerous capabilities',
  rationale:
    'SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, BPF and similar capabilities each give enough kernel power to ' +
    'escape the container or to attack the node and its network.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (capabilities, least privilege)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove the capability from securityContext.capabilities.add; if the workload truly needs it, isolate it on dedicated nodes.',
    snippet: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n',
  },
  references: { kubescape: ['C-0046'], trivy: ['KSV-0005', 'KSV-0119', 'KSV-0120'], cis: ['5.2.8'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, {
        violates: celField('c', 'securityContext.capabilities.add', (v) =>
          `${v}.exists(a, (a.upperAscii().startsWith('CAP_') ? a.upperAscii().substring(4) : a.upperAscii()) in params.data.dangerousCapabilities.split(','))`,
        ),
        field: 'securityContext.capabilities.add',
        must: 'must not add a dangerous capability',
      }),
    ],
    params: (settings) => ({ dangerousCapabilities: [...(settings.dangerousCapabilities?.map(capabilityName) ?? DANGEROUS_CAPABILITIES)].join(',') }),
  },
  check({ spec, specPath, settings }) {
    const dangerous = settings.dangerousCapabilities ? new Set(settings.dangerousCapabilities.map(capabilityName)) : DANGEROUS_CAPABILITIES;
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      const capabilities = record(securityContext(ref.container)?.capabilities);
      array(capabilities?.add).forEach((capability, index) => {
        const name = capabilityName(capability);
        if (dangerous.has(name)) {
          violations.push({
            path: [...ref.path, 'securityContext', 'capabilities', 'add', index],
            message: `container "${ref.name}" adds the dangerous capability ${name}`,
          });
        }
      });
    }
    return violations;
  },
};
