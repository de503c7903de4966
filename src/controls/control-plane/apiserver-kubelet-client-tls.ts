import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-KUBELET-CLIENT-TLS',
  title: 'The API server must authenticate to kubelets with a client certificate',
  rationale:
    'The API server calls kubelets for logs, exec, attach and port-forward. Without a client certificate it calls ' +
    'them anonymously, so those features work only where kubelets accept unauthenticated requests.',
  nsaSection: 'Network separation and hardening › Encryption (TLS between components)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Start kube-apiserver with --kubelet-client-certificate and --kubelet-client-key (a certificate in the system:masters or a kubelet-api-admin group).',
    snippet: '    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt\n    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key\n',
  },
  references: { trivy: ['KCV-0005'], cis: ['1.2.4'] },
  frameworks: ['nsa'],
};

const ANONYMOUS = 'the API server calls kubelets (logs, exec, port-forward) without a client certificate, so kubelets must accept anonymous requests for that to work';

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => requireSettings(component, { 'kubelet-client-certificate': ANONYMOUS, 'kubelet-client-key': ANONYMOUS }),
};
