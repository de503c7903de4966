import { control } from '../../../src/controls/control-plane/etcd-client-cert-auth.js';
import { testComponentControl } from '../../support/component-tester.js';

const CONFIG = '/etc/etcd/etcd.conf.yml';

testComponentControl(control, {
  valid: [
    { name: 'client certificates required', flags: ['--client-cert-auth=true', '--trusted-ca-file=/pki/etcd/ca.crt'] },
    { name: 'in the --config-file', flags: [`--config-file=${CONFIG}`], hostFiles: { [CONFIG]: 'client-transport-security:\n  client-cert-auth: true\n' } },
    { name: 'a --config-file the scan cannot read', flags: [`--config-file=${CONFIG}`] },
  ],
  invalid: [
    { name: 'unset: off by default', flags: ['--listen-client-urls=https://127.0.0.1:2379'], messages: [/--client-cert-auth is not set, and it defaults to false: any client that reaches etcd is served/] },
    { name: 'off', flags: ['--client-cert-auth=false'], messages: [/--client-cert-auth=false/] },
    { name: 'flags are ignored with --config-file', flags: [`--config-file=${CONFIG}`, '--client-cert-auth=true'], hostFiles: { [CONFIG]: 'name: etcd-1\n' }, messages: [/client-transport-security\.client-cert-auth in \/etc\/etcd\/etcd\.conf\.yml is not set, and it defaults to false/] },
    { name: 'off in the --config-file', flags: [`--config-file=${CONFIG}`], hostFiles: { [CONFIG]: 'client-transport-security:\n  client-cert-auth: false\n' }, messages: [/client-transport-security\.client-cert-auth: false in \/etc\/etcd\/etcd\.conf\.yml/] },
    { name: 'the --config-file is missing', flags: [`--config-file=${CONFIG}`], hostFiles: {}, messages: [/etcd\.conf\.yml: no such file: etcd's TLS settings cannot be checked/] },
  ],
});
