import { control } from '../../../src/controls/control-plane/etcd-no-auto-tls.js';
import { testComponentControl } from '../../support/component-tester.js';

const CONFIG = '/etc/etcd/etcd.conf.yml';

testComponentControl(control, {
  valid: [
    { name: 'unset (kubeadm)', flags: ['--cert-file=/pki/s.crt', '--key-file=/pki/s.key'] },
    { name: 'explicitly off', flags: ['--auto-tls=false', '--peer-auto-tls=false'] },
  ],
  invalid: [
    { name: 'auto TLS for clients', flags: ['--auto-tls=true'], messages: [/--auto-tls=true: clients get a self-signed certificate they cannot verify/] },
    { name: 'auto TLS for peers', flags: ['--peer-auto-tls'], messages: [/--peer-auto-tls=true: members get a self-signed certificate/] },
    { name: 'auto TLS beside real certificates', flags: ['--auto-tls=true', '--cert-file=/pki/s.crt', '--key-file=/pki/s.key'], messages: [/--auto-tls=true: etcd ignores it while --cert-file and --key-file are set/] },
    { name: 'in the --config-file', flags: [`--config-file=${CONFIG}`], hostFiles: { [CONFIG]: 'client-transport-security:\n  auto-tls: true\npeer-transport-security:\n  auto-tls: true\n' }, messages: [/client-transport-security\.auto-tls: true in/, /peer-transport-security\.auto-tls: true in/] },
  ],
});
