import { control } from '../../../src/controls/control-plane/apiserver-anonymous-auth.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'off', flags: ['--anonymous-auth=false'] },
    { name: 'off, written as 0 (pflag booleans)', flags: ['--anonymous-auth=0'] },
  ],
  invalid: [
    { name: 'not set: defaults to true', flags: ['--authorization-mode=Node,RBAC'], messages: [/defaults to true/] },
    { name: 'on', flags: ['--anonymous-auth=true'], messages: [/--anonymous-auth=true/] },
    { name: 'the last occurrence wins', flags: ['--anonymous-auth=false', '--anonymous-auth=true'], messages: [/--anonymous-auth=true/] },
  ],
});
