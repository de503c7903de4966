import { control } from '../../../src/controls/control-plane/controller-manager-insecure-port.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: '1.21 with --port=0', version: '1.21', flags: ['--port=0'] },
    { name: '1.22: insecure serving removed, not run', version: '1.22', flags: [] },
  ],
  invalid: [
    { name: '1.21: absent means 10252 is open', version: '1.21', flags: [], messages: [/--port is not set, so it serves plain HTTP without authentication on 10252/] },
    { name: '1.18: an explicit port', version: '1.18', flags: ['--port=10252'], messages: [/--port=10252 serves plain HTTP/] },
  ],
});
