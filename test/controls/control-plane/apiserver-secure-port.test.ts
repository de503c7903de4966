import { control } from '../../../src/controls/control-plane/apiserver-secure-port.js';
import { testComponentControl } from '../../support/component-tester.js';

// Trivy's KCV-0017 and Checkov's CKV_K8S_89 fail exactly --secure-port=0; ours also say what it does at each version.
testComponentControl(control, {
  valid: [
    { name: 'default (absent)', flags: [] },
    { name: '6443', flags: ['--secure-port=6443'] },
    { name: '443 before 1.12', version: '1.11', flags: ['--secure-port', '443'] },
    { name: 'a port ending in 0', flags: ['--secure-port=8080'] },
  ],
  invalid: [
    { name: 'off before 1.12: only the insecure port is left', version: '1.11', flags: ['--secure-port=0'], messages: [/--secure-port=0 turns HTTPS off: clients are left with the insecure port/] },
    { name: 'off from 1.12: the API server does not start', version: '1.12', flags: ['--secure-port=0'], messages: [/kube-apiserver 1\.12 refuses: it does not start/] },
    { name: 'written 00', flags: ['--secure-port=00'], messages: [/--secure-port=00 turns HTTPS off/] },
    { name: 'space-separated 0', flags: ['--secure-port', '0'], messages: [/turns HTTPS off/] },
  ],
});
