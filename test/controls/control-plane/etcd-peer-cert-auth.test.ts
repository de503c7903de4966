import { control } from '../../../src/controls/control-plane/etcd-peer-cert-auth.js';
import { testComponentControl } from '../../support/component-tester.js';

const CONFIG = '/etc/etcd/etcd.conf.yml';

testComponentControl(control, {
  valid: [
    { name: 'peer certificates required', flags: ['--peer-client-cert-auth=true'] },
    { name: 'in the --config-file', flags: [`--config-file=${CONFIG}`], hostFiles: { [CONFIG]: 'peer-transport-security:\n  client-cert-auth: true\n' } },
  ],
  invalid: [
    { name: 'unset: off by default', flags: [], messages: [/--peer-client-cert-auth is not set, and it defaults to false: any host that reaches the peer port/] },
    { name: 'off in the --config-file', flags: [`--config-file=${CONFIG}`], hostFiles: { [CONFIG]: 'peer-transport-security:\n  client-cert-auth: false\n' }, messages: [/peer-transport-security\.client-cert-auth: false in/] },
  ],
});
