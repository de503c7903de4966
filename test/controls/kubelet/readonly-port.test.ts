import { control } from '../../../src/controls/kubelet/readonly-port.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: not set (defaults to 0)', config: {} },
    { name: 'config file: 0', config: { readOnlyPort: 0 } },
    { name: 'flags only: 0', flags: ['--read-only-port=0'] },
    { name: 'the flag beats the config file', flags: ['--read-only-port', '0'], config: { readOnlyPort: 10255 } },
  ],
  invalid: [
    { name: 'flags only: not set (legacy default 10255)', flags: [], messages: [/^--read-only-port is not set and the kubelet has no configuration file, so it defaults to 10255: the port serves pod and node data without authentication/] },
    { name: 'flags only: 10255', flags: ['--read-only-port=10255'], messages: [/^--read-only-port=10255:/] },
    { name: 'config file: 10255', config: { readOnlyPort: 10255 }, messages: [/^readOnlyPort: 10255:/] },
    { name: 'the flag beats the config file', flags: ['--read-only-port=10255'], config: { readOnlyPort: 0 }, messages: [/^--read-only-port=10255:/] },
  ],
});
