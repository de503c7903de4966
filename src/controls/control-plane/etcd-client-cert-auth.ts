import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireBool, requireFlags } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'ETCD-CLIENT-CERT-AUTH',
  title: 'etcd must serve TLS and accept only clients with certificates',
  rationale:
    'etcd holds every object of the cluster, Secrets included. Without TLS and client certificate authentication ' +
    'anyone who reaches its client port reads and writes the cluster\'s state directly, bypassing the API server.',
  nsaSection: 'Control plane hardening › Etcd ("only trust certificates assigned to the API server")',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start etcd with --cert-file, --key-file, --trusted-ca-file and --client-cert-auth=true, and without --auto-tls.', snippet: '    - --client-cert-auth=true\n    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --key-file=/etc/kubernetes/pki/etcd/server.key\n    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n' },
  references: { trivy: ['KCV-0042', 'KCV-0043', 'KCV-0044'], cis: ['2.1', '2.2', '2.3'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['etcd'],
  check: ({ component }) => [
    ...requireFlags(component, ['cert-file', 'key-file'], 'etcd serves clients without TLS'),
    ...requireBool(component, 'client-cert-auth', true, false, 'any client that reaches etcd is served'),
    ...requireBool(component, 'auto-tls', false, false, 'self-signed certificates that clients cannot verify'),
  ],
};
