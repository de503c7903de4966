import { control } from '../../../src/controls/control-plane/controller-manager-profiling.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [{ name: 'off', flags: ['--profiling=false'] }],
  invalid: [
    { name: 'unset: on by default', flags: [], messages: [/--profiling is not set, and it defaults to true: \/debug\/pprof on port 10257/] },
    { name: 'on', flags: ['--profiling=true'], messages: [/--profiling=true/] },
  ],
});
