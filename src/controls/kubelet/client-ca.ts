import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { isSet, optionalSetting, requireSetting } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-CLIENT-CA',
  title: 'The kubelet must verify client certificates against a CA',
  rationale:
    'Without a client CA the kubelet cannot authenticate the API server (or anyone else) by certificate, so X.509 ' +
    'authentication to the kubelet API is off. Neither the KubeletConfiguration nor the flags have a default CA.',
  nsaSection: 'Authentication and authorization › Authentication (certificates); Network separation and hardening › Encryption',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set authentication.x509.clientCAFile in the KubeletConfiguration (or --client-ca-file) to the cluster CA that signs the API server\'s kubelet client certificate.',
    snippet: 'authentication:\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n',
  },
  references: { kubescape: ['C-0070'], trivy: ['KCV-0081'], cis: ['4.2.3'] },
  frameworks: ['nsa'],
};

const clientCA = optionalSetting('client-ca-file', ['authentication', 'x509', 'clientCAFile']);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => requireSetting(component, clientCA, (setting) => isSet(setting.value), 'the kubelet cannot authenticate clients by certificate'),
};
