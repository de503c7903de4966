import { control } from '../../../src/controls/control-plane/scheduler-insecure-port.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: '1.22 with --port=0', version: '1.22', flags: ['--port=0'] },
    { name: '1.23: insecure serving removed, not run', version: '1.23', flags: ['--port=10251'] },
  ],
  invalid: [
    { name: '1.22: absent means 10251 is open', version: '1.22', flags: [], messages: [/not set, so it serves plain HTTP without authentication on 10251/] },
    { name: '1.20: an explicit port', version: '1.20', flags: ['--port=10251'], messages: [/--port=10251 serves plain HTTP/] },
  ],
});
