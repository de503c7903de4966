import { control } from '../../../src/controls/control-plane/apiserver-profiling.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'off', flags: ['--profiling=false'] },
    { name: 'off, pflag spelling', flags: ['--profiling=F'] },
  ],
  invalid: [
    { name: 'unset: on by default', flags: [], messages: [/--profiling is not set, and it defaults to true: \/debug\/pprof on port 6443/] },
    { name: 'on, on another secure port', flags: ['--profiling=true', '--secure-port=8443'], messages: [/--profiling=true: \/debug\/pprof on port 8443/] },
    { name: 'a bare flag means true', flags: ['--profiling'], messages: [/--profiling=true/] },
  ],
});
