import { control } from '../../../src/controls/control-plane/etcd-tls-certs.js';
import { testComponentControl } from '../../support/component-tester.js';

const CONFIG = '/etc/etcd/etcd.conf.yml';
const KUBEADM = ['--cert-file=/pki/etcd/server.crt', '--key-file=/pki/etcd/server.key', '--peer-cert-file=/pki/etcd/peer.crt', '--peer-key-file=/pki/etcd/peer.key'];

testComponentControl(control, {
  valid: [
    { name: 'kubeadm certificates', flags: KUBEADM },
    {
      name: 'in the --config-file',
      flags: [`--config-file=${CONFIG}`],
      hostFiles: { [CONFIG]: 'client-transport-security:\n  cert-file: /pki/s.crt\n  key-file: /pki/s.key\npeer-transport-security:\n  cert-file: /pki/p.crt\n  key-file: /pki/p.key\n' },
    },
  ],
  invalid: [
    { name: 'plain etcd', flags: ['--listen-client-urls=http://127.0.0.1:2379'], messages: [/--cert-file is not set: etcd has no certificate for its clients/, /--key-file is not set/, /--peer-cert-file is not set: members replicate the cluster.s data over plain HTTP/, /--peer-key-file is not set/] },
    { name: 'client TLS only', flags: KUBEADM.slice(0, 2), messages: [/--peer-cert-file/, /--peer-key-file/] },
    { name: 'empty in the --config-file', flags: [`--config-file=${CONFIG}`], hostFiles: { [CONFIG]: 'client-transport-security:\n  cert-file: ""\n  key-file: /pki/s.key\npeer-transport-security:\n  cert-file: /pki/p.crt\n  key-file: /pki/p.key\n' }, messages: [/client-transport-security\.cert-file in \/etc\/etcd\/etcd\.conf\.yml is not set/] },
  ],
});
