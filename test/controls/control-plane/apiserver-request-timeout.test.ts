import { control } from '../../../src/controls/control-plane/apiserver-request-timeout.js';
import { testComponentControl } from '../../support/component-tester.js';

// Checkov's CKV_K8S_95 cases pass 300s and fail a bare flag; ours judge the duration the way kube-apiserver reads it.
testComponentControl(control, {
  valid: [
    { name: 'default (absent)', flags: [] },
    { name: '300s, the CIS example', flags: ['--request-timeout=300s'] },
    { name: '5m, the same', flags: ['--request-timeout=5m'] },
    { name: 'shorter than the default', flags: ['--request-timeout=30s'] },
    { name: 'Go form 1m0s', flags: ['--request-timeout=1m0s'] },
    { name: 'space-separated value', flags: ['--request-timeout', '2m30s'] },
    { name: "Checkov's passing case 2m3s", flags: ['--request-timeout=2m3s'] },
  ],
  invalid: [
    { name: 'an hour', flags: ['--request-timeout=1h'], messages: [/--request-timeout=1h lets each request hold the API server for 3600s .*in-flight request slots/] },
    { name: 'just over the limit', flags: ['--request-timeout=5m1s'], messages: [/for 301s/] },
    { name: 'seconds without a unit (Go durations need one)', flags: ['--request-timeout=300'], messages: [/--request-timeout=300 is not a duration/] },
    { name: "units in any order, as Go reads them (Checkov's failing case): 3h9m1s", flags: ['--request-timeout=1s9m3h'], messages: [/for 11341s/] },
    { name: 'a word', flags: ['--request-timeout=forever'], messages: [/is not a duration/] },
    { name: 'the last occurrence wins', flags: ['--request-timeout=60s', '--request-timeout=2h'], messages: [/--request-timeout=2h/] },
  ],
});
