import { control } from '../../../src/controls/control-plane/apiserver-insecure-port.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: '1.19 with --insecure-port=0', version: '1.19', flags: ['--insecure-port=0'] },
    { name: '1.20: absent is safe (insecure serving removed)', version: '1.20', flags: [] },
    { name: '1.21: absent is safe', version: '1.21', flags: [] },
    { name: '1.23 with --insecure-port=0', version: '1.23', flags: ['--insecure-port=0'] },
    { name: '1.24 and later: not run (the flag is gone), even with 8080', version: '1.24', flags: ['--insecure-port=8080'] },
  ],
  invalid: [
    { name: '1.19: absent means 8080 is open', version: '1.19', flags: [], messages: [/--insecure-port is not set, so it serves plain HTTP without authentication on 8080/] },
    { name: '1.16: a non-zero port', version: '1.16', flags: ['--insecure-port=8080'], messages: [/--insecure-port=8080 serves plain HTTP/] },
    { name: '1.23: a non-zero port still counts', version: '1.23', flags: ['--insecure-port=8080'], messages: [/--insecure-port=8080/] },
  ],
});
