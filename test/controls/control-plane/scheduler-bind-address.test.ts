import { control } from '../../../src/controls/control-plane/scheduler-bind-address.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'loopback (kubeadm)', flags: ['--bind-address=127.0.0.1'] },
    { name: 'unset passes, as in kube-bench', flags: [] },
  ],
  invalid: [{ name: 'every interface', flags: ['--bind-address=0.0.0.0'], messages: [/--bind-address=0\.0\.0\.0 serves the secure port 10259/] }],
});
