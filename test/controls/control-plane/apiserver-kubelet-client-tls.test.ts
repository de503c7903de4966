import { control } from '../../../src/controls/control-plane/apiserver-kubelet-client-tls.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [{ name: 'kubeadm flags', flags: ['--kubelet-client-certificate=/pki/k.crt', '--kubelet-client-key=/pki/k.key'] }],
  invalid: [
    { name: 'neither', flags: [], messages: [/--kubelet-client-certificate is not set: .*without a client certificate/, /--kubelet-client-key is not set/] },
    { name: 'a certificate without its key', flags: ['--kubelet-client-certificate=/pki/k.crt'], messages: [/--kubelet-client-key is not set/] },
    { name: 'an empty value counts as unset', flags: ['--kubelet-client-certificate=', '--kubelet-client-key=/pki/k.key'], messages: [/--kubelet-client-certificate is not set/] },
  ],
});
