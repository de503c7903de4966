import { control } from '../../../src/controls/control-plane/apiserver-sa-key.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [{ name: 'set (kubeadm)', flags: ['--service-account-key-file=/etc/kubernetes/pki/sa.pub'] }],
  invalid: [{ name: 'not set', flags: ['--tls-private-key-file=/pki/apiserver.key'], messages: [/--service-account-key-file is not set: .*verified with the TLS serving key/] }],
});
