import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSetting, type SettingSpec } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-AUTHZ-WEBHOOK',
  title: 'The kubelet must authorize requests through the API server (Webhook), not AlwaysAllow',
  rationale:
    'With AlwaysAllow every authenticated caller (and every anonymous one, if anonymous requests are on) may use the whole ' +
    'kubelet API: run commands in pods, read logs and secrets mounted on the node. A KubeletConfiguration file defaults ' +
    'authorization.mode to Webhook; a kubelet on flags alone defaults --authorization-mode to AlwaysAllow.',
  nsaSection: 'Authentication and authorization › RBAC; Worker node segmentation (kubelet API)',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set authorization.mode: Webhook in the KubeletConfiguration (or --authorization-mode=Webhook), with webhook authentication on, so the API server decides through SubjectAccessReviews.',
    snippet: 'authentication:\n  webhook:\n    enabled: true\nauthorization:\n  mode: Webhook\n',
  },
  references: { trivy: ['KCV-0080'], cis: ['4.2.2'] },
  frameworks: ['nsa'],
};

const mode: SettingSpec = {
  flag: 'authorization-mode',
  config: ['authorization', 'mode'],
  parseFlag: (value) => value.trim(),
  configDefault: 'Webhook',
  flagsOnlyDefault: 'AlwaysAllow',
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) =>
    requireSetting(component, mode, (setting) => setting.value !== 'AlwaysAllow', 'every request that reaches the kubelet API is allowed, exec into pods included'),
};
