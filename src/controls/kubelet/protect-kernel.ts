import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { boolSetting, requireBool } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-PROTECT-KERNEL',
  title: 'The kubelet should refuse to change kernel tunables it expects',
  rationale:
    'With protectKernelDefaults the kubelet fails instead of silently changing kernel settings (vm.overcommit_memory, ' +
    'kernel.panic, …) that differ from what it needs, so node hardening is not undone behind the operator\'s back. It ' +
    'defaults to false with and without a configuration file (CIS dropped the check from its 1.7 benchmark).',
  nsaSection: 'Worker node segmentation (kubelet; from the CIS Benchmark, not named in the guide)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set the kernel parameters the kubelet expects in /etc/sysctl.d, then set protectKernelDefaults: true (or --protect-kernel-defaults).',
    snippet: 'protectKernelDefaults: true\n',
  },
  references: { trivy: ['KCV-0083'], cis: ['4.2.6'] },
  frameworks: ['nsa'],
};

const protect = boolSetting('protect-kernel-defaults', ['protectKernelDefaults'], false);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => requireBool(component, protect, true, 'the kubelet may change kernel tunables that differ from what it expects'),
};
