import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireBool, requireFlags } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'ETCD-PEER-CLIENT-CERT-AUTH',
  title: 'etcd members must authenticate each other with certificates',
  rationale:
    'Without peer TLS and peer certificate authentication, anything that reaches the peer port can join the etcd ' +
    'cluster or read its replication traffic.',
  nsaSection: 'Control plane hardening › Etcd',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start etcd with --peer-cert-file, --peer-key-file, --peer-trusted-ca-file and --peer-client-cert-auth=true, and without --peer-auto-tls.', snippet: '    - --peer-client-cert-auth=true\n    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt\n    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key\n' },
  references: { trivy: ['KCV-0045', 'KCV-0046', 'KCV-0047'], cis: ['2.4', '2.5', '2.6'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['etcd'],
  check: ({ component }) => [
    ...requireFlags(component, ['peer-cert-file', 'peer-key-file'], 'peer traffic is not encrypted'),
    ...requireBool(component, 'peer-client-cert-auth', true, false, 'any host that reaches the peer port is trusted as a member'),
    ...requireBool(component, 'peer-auto-tls', false, false, 'self-signed peer certificates that members cannot verify'),
  ],
};
