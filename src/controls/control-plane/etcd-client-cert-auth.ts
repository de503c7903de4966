import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkEtcd } from './etcd-settings.js';
import { requireBool } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'ETCD-CLIENT-CERT-AUTH',
  title: 'etcd must accept only clients with certificates',
  rationale:
    'etcd holds every object of the cluster, Secrets included. Without client certificate authentication anyone who ' +
    'reaches its client port reads and writes the cluster\'s state directly, bypassing the API server and RBAC.',
  nsaSection: 'Control plane hardening › Etcd ("only trust certificates assigned to the API server")',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start etcd with --client-cert-auth=true and --trusted-ca-file naming the CA of the API server\'s etcd client certificate.', snippet: '    - --client-cert-auth=true\n    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n' },
  references: { trivy: ['KCV-0043'], cis: ['2.2'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['etcd'],
  check: ({ component }) => checkEtcd(component, (settings) => requireBool(settings, 'client-cert-auth', true, false, 'any client that reaches etcd is served, without a certificate')),
};
