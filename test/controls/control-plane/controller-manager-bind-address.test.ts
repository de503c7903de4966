import { control } from '../../../src/controls/control-plane/controller-manager-bind-address.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'loopback (kubeadm)', flags: ['--bind-address=127.0.0.1'] },
    { name: 'IPv6 loopback', flags: ['--bind-address=::1'] },
    { name: 'unset passes, as in kube-bench', flags: [] },
  ],
  invalid: [
    { name: 'every interface', flags: ['--bind-address=0.0.0.0'], messages: [/--bind-address=0\.0\.0\.0 serves the secure port 10257 .* beyond this host/] },
    { name: 'a node address', flags: ['--bind-address=10.0.0.5'], messages: [/--bind-address=10\.0\.0\.5/] },
  ],
});
