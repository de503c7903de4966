import { control } from '../../../src/controls/control-plane/apiserver-insecure-bind.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: '1.19: not set', version: '1.19', flags: ['--insecure-port=0'] },
    { name: '1.23: not set', version: '1.23', flags: [] },
    { name: '1.24: not run (the flag is gone)', version: '1.24', flags: ['--insecure-bind-address=0.0.0.0'] },
  ],
  invalid: [
    { name: '1.19: the insecure port is open on every interface', version: '1.19', flags: ['--insecure-bind-address=0.0.0.0'], messages: [/--insecure-bind-address=0\.0\.0\.0 serves the insecure port 8080 there: anyone who can reach that address gets the whole API/] },
    { name: '1.18: loopback, explicit port', version: '1.18', flags: ['--insecure-bind-address=127.0.0.1', '--insecure-port=8081'], messages: [/insecure port 8081 there: any process on this host/] },
    { name: '1.19: set while the port is off', version: '1.19', flags: ['--insecure-bind-address=0.0.0.0', '--insecure-port=0'], messages: [/is set: it opens nothing while insecure serving is off, but/] },
    { name: '1.22: inert since 1.20', version: '1.22', flags: ['--insecure-bind-address=0.0.0.0'], messages: [/opens nothing while insecure serving is off \(removed in 1\.20\)/] },
  ],
});
