import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireFlags } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-KUBELET-TLS',
  title: 'The API server must authenticate to kubelets and verify their certificates',
  rationale:
    'For logs, exec and port-forward the API server calls each kubelet. Without a client certificate the kubelet ' +
    'cannot tell the API server from anyone else; without --kubelet-certificate-authority the API server cannot ' +
    'tell a real kubelet from an impostor on the network.',
  nsaSection: 'Network separation and hardening › Encryption (TLS between components)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set --kubelet-client-certificate, --kubelet-client-key and --kubelet-certificate-authority on kube-apiserver.',
    snippet: '    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt\n    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key\n    - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt\n',
  },
  references: { trivy: ['KCV-0005', 'KCV-0006'], cis: ['1.2.4', '1.2.5'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => [
    ...requireFlags(component, ['kubelet-client-certificate', 'kubelet-client-key'], 'kubelets cannot authenticate the API server'),
    ...requireFlags(component, ['kubelet-certificate-authority'], 'the API server does not verify the kubelets it connects to'),
  ],
};
