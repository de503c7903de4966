import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkEtcd } from './etcd-settings.js';
import { requireSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'ETCD-TLS-CERTS',
  title: 'etcd must serve clients and peers with TLS certificates',
  rationale:
    'Without a serving certificate and key etcd speaks plain HTTP: every object, Secrets included, crosses the network ' +
    'readable, to clients on the client port and to members on the peer port.',
  nsaSection: 'Control plane hardening › Etcd; Network separation and hardening › Encryption',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Start etcd with --cert-file and --key-file for clients, and --peer-cert-file and --peer-key-file for members.',
    snippet: '    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --key-file=/etc/kubernetes/pki/etcd/server.key\n    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt\n    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key\n',
  },
  references: { trivy: ['KCV-0042', 'KCV-0045'], cis: ['2.1', '2.4'] },
  frameworks: ['nsa'],
};

const CLIENT = 'etcd has no certificate for its clients, the API server among them: it serves plain HTTP, or an unverifiable --auto-tls certificate';
const PEER = 'members replicate the cluster\'s data over plain HTTP, or with an unverifiable --peer-auto-tls certificate';

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['etcd'],
  check: ({ component }) => checkEtcd(component, (settings) => requireSettings(settings, { 'cert-file': CLIENT, 'key-file': CLIENT, 'peer-cert-file': PEER, 'peer-key-file': PEER })),
};
