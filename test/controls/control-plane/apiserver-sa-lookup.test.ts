import { control } from '../../../src/controls/control-plane/apiserver-sa-lookup.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'unset: true by default', flags: [] },
    { name: 'explicitly true', flags: ['--service-account-lookup=true'] },
  ],
  invalid: [{ name: 'off', flags: ['--service-account-lookup=false'], messages: [/--service-account-lookup=false: tokens of deleted ServiceAccounts keep authenticating/] }],
});
