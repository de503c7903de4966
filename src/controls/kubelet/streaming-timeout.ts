import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { durationSeconds, requireSetting, type SettingSpec } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-STREAMING-TIMEOUT',
  title: 'Idle exec, attach and port-forward streams should time out',
  rationale:
    'A streamingConnectionIdleTimeout of 0 keeps idle exec, attach and port-forward connections open forever, which ' +
    'invites resource exhaustion and forgotten sessions. The default is 4h with and without a configuration file; the ' +
    'kubelet replaces a zero in the KubeletConfiguration file with that default, so only --streaming-connection-idle-timeout=0 disables it.',
  nsaSection: 'Worker node segmentation (kubelet; from the CIS Benchmark, not named in the guide)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove --streaming-connection-idle-timeout=0 from the kubelet flags, or set a bounded value such as 5m.',
    snippet: 'streamingConnectionIdleTimeout: 5m0s\n',
  },
  references: { trivy: ['KCV-0085'], cis: ['4.2.5'] },
  frameworks: ['nsa'],
};

const timeout: SettingSpec = {
  flag: 'streaming-connection-idle-timeout',
  config: ['streamingConnectionIdleTimeout'],
  parseFlag: (value) => value.trim(),
  configDefault: '4h0m0s',
  flagsOnlyDefault: '4h0m0s',
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  // Only a flag can make it zero: decoding the configuration file turns a zero duration into the 4h default.
  check: ({ component }) =>
    requireSetting(component, timeout, (setting) => setting.source !== 'flag' || durationSeconds(setting.value) !== 0, 'idle streaming connections never time out'),
};
