import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-KUBELET-CA',
  title: 'The API server should verify kubelets\' serving certificates',
  rationale:
    'Without --kubelet-certificate-authority the API server accepts any certificate from a kubelet, so whoever can ' +
    'intercept that connection can pose as the kubelet and read exec sessions and logs. It needs kubelet serving ' +
    'certificates signed by a CA (serverTLSBootstrap), which kubeadm does not set up by default.',
  nsaSection: 'Network separation and hardening › Encryption (TLS between components)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Have kubelets get CA-signed serving certificates (serverTLSBootstrap: true, and approve their CSRs), then start kube-apiserver with --kubelet-certificate-authority.',
    snippet: '    - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt\n',
  },
  references: { trivy: ['KCV-0006'], cis: ['1.2.5'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) =>
    requireSettings(component, { 'kubelet-certificate-authority': 'the API server does not verify the certificates kubelets present, so a machine in the middle can pose as a kubelet' }),
};
