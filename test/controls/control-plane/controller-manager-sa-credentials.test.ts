import { control } from '../../../src/controls/control-plane/controller-manager-sa-credentials.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [{ name: 'on (kubeadm)', flags: ['--use-service-account-credentials=true'] }],
  invalid: [
    { name: 'unset: off by default', flags: [], messages: [/--use-service-account-credentials is not set, and it defaults to false: every controller acts with the controller-manager's own/] },
    { name: 'off', flags: ['--use-service-account-credentials=false'], messages: [/--use-service-account-credentials=false/] },
  ],
});
