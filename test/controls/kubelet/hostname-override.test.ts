import { control } from '../../../src/controls/kubelet/hostname-override.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: no flag (the configuration has no such field)', config: { readOnlyPort: 0 } },
    { name: 'flags only: not set', flags: ['--node-ip=10.0.0.5'] },
  ],
  invalid: [
    { name: 'flags only: set', flags: ['--hostname-override=node-a'], messages: [/^--hostname-override=node-a registers the node under a name other than the host's$/] },
    { name: 'config file and the flag', flags: ['--hostname-override', 'node-a'], config: {}, messages: [/^--hostname-override=node-a /] },
  ],
});
