import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { boolSetting, requireBool } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-ANONYMOUS-AUTH',
  title: 'The kubelet must not accept anonymous requests',
  rationale:
    'With anonymous authentication on, every request to the kubelet API (port 10250) without credentials is served as ' +
    'system:anonymous; with AlwaysAllow authorization that is exec into any pod on the node. A KubeletConfiguration ' +
    'file defaults authentication.anonymous.enabled to false, but a kubelet on flags alone defaults --anonymous-auth to true.',
  nsaSection: 'Authentication and authorization › Authentication (anonymous requests); Worker node segmentation',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set authentication.anonymous.enabled: false in the KubeletConfiguration (or start the kubelet with --anonymous-auth=false), and restart the kubelet.',
    snippet: 'authentication:\n  anonymous:\n    enabled: false\n',
  },
  references: { kubescape: ['C-0069'], trivy: ['KCV-0079'], cis: ['4.2.1'] },
  frameworks: ['nsa'],
};

const anonymous = boolSetting('anonymous-auth', ['authentication', 'anonymous', 'enabled'], false, true);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => requireBool(component, anonymous, false, 'requests without credentials are served as system:anonymous'),
};
