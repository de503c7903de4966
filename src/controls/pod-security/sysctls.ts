import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import type { KubeVersion } from '../../kube/version.js';
import { securityContext } from '../../kube/containers.js';
import { array, isRecord, stringOf } from '../../util/object.js';
import { podRule, celField, celStrings } from '../../engine/admission-cel.js';

/** The safe (namespaced, isolated) sysctls, and the minor version that added each group. */
const SAFE_SYSCTLS: readonly { readonly sinceMinor: number; readonly names: readonly string[] }[] = [
  {
    sinceMinor: 0,
    names: [
      'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
      'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
    ],
  },
  { sinceMinor: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  {
    sinceMinor: 29,
    names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  },
  { sinceMinor: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { sinceMinor: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

export function safeSysctls(version: KubeVersion): ReadonlySet<string> {
  return new Set(SAFE_SYSCTLS.filter((group) => version.minor >= group.sinceMinor).flatMap((group) => group.names));
}

const SAFE_BY_MINOR = new Map<number, ReadonlySet<string>>();
function safeSysctlsCached(version: KubeVersion): ReadonlySet<string> {
  let set = SAFE_BY_MINOR.get(version.minor);
  if (!set) SAFE_BY_MINOR.set(version.minor, (set = safeSysctls(version)));
  return set;
}

export const meta: ControlMeta = {
  id: 'POD-SYSCTLS-SAFE',
  title: 'Pods may set only safe sysctls',
  rationale:
    'Sysctls outside the safe, namespaced set change kernel behaviour for the whole node and every other pod on it.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (sysctls)',
  pss: { level: 'baseline', check: 'sysctls' },
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    changes: SAFE_SYSCTLS.filter((group) => group.sinceMinor > 0).map((group) => ({
      minor: group.sinceMinor,
      change: `allows ${group.names.join(', ')}.`,
    })),
  },
  remediation: {
    text: 'Remove unsafe sysctls from spec.securityContext.sysctls, or set them on the node instead.',
    snippet: 'spec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.ip_local_port_range\n      value: "32768 60999"\n',
  },
  references: { trivy: ['KSV-0026'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => [
      podRule(meta, {
        violates: celField('variables.spec', 'securityContext.sysctls', (v) => `${v}.exists(s, !(s.name in ${celStrings(safeSysctls(version))}))`),
        field: 'securityContext.sysctls',
        must: `must name only the safe sysctls of Kubernetes 1.${version.minor}`,
      }),
    ],
  },
  check({ spec, specPath, version }) {
    const safe = safeSysctlsCached(version);
    const violations: Violation[] = [];
    array(securityContext(spec)?.sysctls).forEach((sysctl, index) => {
      const name = isRecord(sysctl) ? stringOf(sysctl.name ?? '') : '';
      if (!safe.has(name)) {
        violations.push({
          path: [...specPath, 'securityContext', 'sysctls', index, 'name'],
          message: `sysctl ${name} is not in the safe set for Kubernetes 1.${version.minor}`,
        });
      }
    });
    return violations;
  },
};
