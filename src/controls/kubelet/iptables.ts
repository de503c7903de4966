import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { boolSetting, requireBool } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-IPTABLES',
  title: 'The kubelet should manage its iptables utility chains',
  rationale:
    'With makeIPTablesUtilChains the kubelet keeps the KUBE-FIREWALL rules that, among others, drop martian packets to ' +
    'localhost-bound services; turning it off leaves that to whoever remembers. It defaults to true with and without a configuration file.',
  nsaSection: 'Network separation and hardening (kubelet; from the CIS Benchmark, not named in the guide)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove makeIPTablesUtilChains: false from the KubeletConfiguration (or --make-iptables-util-chains=false from the flags).',
    snippet: 'makeIPTablesUtilChains: true\n',
  },
  references: { trivy: ['KCV-0084'], cis: ['4.2.6'] },
  frameworks: ['nsa'],
};

const chains = boolSetting('make-iptables-util-chains', ['makeIPTablesUtilChains'], true);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => requireBool(component, chains, true, 'the kubelet does not keep its iptables utility chains'),
};
