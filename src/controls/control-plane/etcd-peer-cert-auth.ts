import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkEtcd } from './etcd-settings.js';
import { requireBool } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'ETCD-PEER-CLIENT-CERT-AUTH',
  title: 'etcd members must authenticate each other with certificates',
  rationale: 'Without peer certificate authentication, anything that reaches the peer port can join the etcd cluster or read its replication traffic.',
  nsaSection: 'Control plane hardening › Etcd',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start etcd with --peer-client-cert-auth=true and --peer-trusted-ca-file.', snippet: '    - --peer-client-cert-auth=true\n    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n' },
  references: { trivy: ['KCV-0046'], cis: ['2.5'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['etcd'],
  check: ({ component }) => checkEtcd(component, (settings) => requireBool(settings, 'peer-client-cert-auth', true, false, 'any host that reaches the peer port is trusted as a member')),
};
