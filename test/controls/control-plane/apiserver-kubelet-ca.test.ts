import { control } from '../../../src/controls/control-plane/apiserver-kubelet-ca.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [{ name: 'set', flags: ['--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt'] }],
  invalid: [{ name: 'not set (kubeadm leaves it out)', flags: ['--kubelet-client-certificate=/pki/k.crt', '--kubelet-client-key=/pki/k.key'], messages: [/--kubelet-certificate-authority is not set: the API server does not verify/] }],
});
