import { control } from '../../../src/controls/kubelet/seccomp-default.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: on', config: { seccompDefault: true } },
    { name: 'flags only: on', flags: ['--seccomp-default'] },
    { name: 'the flag beats the config file', flags: ['--seccomp-default=true'], config: { seccompDefault: false } },
    { name: 'before 1.25 (alpha) the control does not run', flags: [], version: '1.24' },
    { name: 'beta (1.25): on', config: { seccompDefault: true }, version: '1.25' },
  ],
  invalid: [
    { name: 'config file: not set (defaults to false)', config: {}, messages: [/^seccompDefault is not set, and it defaults to false: containers without a seccomp profile run Unconfined/] },
    { name: 'config file: off', config: { seccompDefault: false }, messages: [/^seccompDefault: false:/] },
    { name: 'flags only: not set (defaults to false)', flags: [], messages: [/^--seccomp-default is not set and the kubelet has no configuration file, so it defaults to false:/] },
    { name: 'flags only: off', flags: ['--seccomp-default=false'], messages: [/^--seccomp-default=false:/] },
    { name: 'the flag beats the config file', flags: ['--seccomp-default=false'], config: { seccompDefault: true }, messages: [/^--seccomp-default=false:/] },
    { name: 'beta (1.25): not set', config: {}, version: '1.25', messages: [/^seccompDefault is not set/] },
  ],
});
