import { control } from '../../../src/controls/kubelet/protect-kernel.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: on', config: { protectKernelDefaults: true } },
    { name: 'flags only: on', flags: ['--protect-kernel-defaults'] },
    { name: 'the flag beats the config file', flags: ['--protect-kernel-defaults=true'], config: { protectKernelDefaults: false } },
  ],
  invalid: [
    { name: 'config file: not set (defaults to false)', config: {}, messages: [/^protectKernelDefaults is not set, and it defaults to false: the kubelet may change kernel tunables/] },
    { name: 'config file: off', config: { protectKernelDefaults: false }, messages: [/^protectKernelDefaults: false:/] },
    { name: 'flags only: not set (defaults to false)', flags: [], messages: [/^--protect-kernel-defaults is not set and the kubelet has no configuration file, so it defaults to false:/] },
    { name: 'the flag beats the config file', flags: ['--protect-kernel-defaults=false'], config: { protectKernelDefaults: true }, messages: [/^--protect-kernel-defaults=false:/] },
  ],
});
