import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-ETCD-TLS',
  title: 'The API server must talk to etcd over mutual TLS',
  rationale:
    'The API server writes every object, Secrets included, to etcd. Over plain HTTP or without a client ' +
    'certificate, that traffic can be read or forged on the network and etcd cannot tell the API server from anyone else.',
  nsaSection: 'Control plane hardening › Etcd (TLS between etcd and the API server)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Use https:// --etcd-servers with --etcd-cafile, --etcd-certfile and --etcd-keyfile.',
    snippet: '    - --etcd-servers=https://127.0.0.1:2379\n    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt\n    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt\n    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key\n',
  },
  references: { trivy: ['KCV-0026', 'KCV-0029'], cis: ['1.2.23', '1.2.26'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => [
    ...component.flags
      .list('etcd-servers')
      .filter((url) => !url.toLowerCase().startsWith('https://'))
      .map((url) => ({ at: { flag: 'etcd-servers' }, message: `--etcd-servers has ${url}: not https, so objects and Secrets travel to etcd unencrypted` })),
    ...requireSettings(component, {
      'etcd-cafile': 'the API server does not verify etcd\'s certificate',
      'etcd-certfile': 'the API server has no client certificate for etcd, so etcd cannot require one',
      'etcd-keyfile': 'the API server has no client key for etcd, so etcd cannot require a certificate',
    }),
  ],
};
