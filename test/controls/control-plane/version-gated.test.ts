/** The checks whose meaning changes with the Kubernetes version: insecure ports and pod security admission. */
import { control as admission } from '../../../src/controls/control-plane/apiserver-admission-pod-security.js';
import { control as apiserverPort } from '../../../src/controls/control-plane/apiserver-insecure-port.js';
import { control as controllerManagerPort } from '../../../src/controls/control-plane/controller-manager-insecure-port.js';
import { control as removedFlags } from '../../../src/controls/control-plane/apiserver-removed-flags.js';
import { control as schedulerPort } from '../../../src/controls/control-plane/scheduler-insecure-port.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(apiserverPort, {
  valid: [
    { name: '1.19 with --insecure-port=0', version: '1.19', flags: ['--insecure-port=0'] },
    { name: '1.21: absent is safe (insecure serving removed in 1.20)', version: '1.21', flags: [] },
    { name: '1.24 and later: not checked (the flag is gone)', version: '1.24', flags: ['--insecure-port=8080'] },
  ],
  invalid: [
    { name: '1.19: absent means 8080 is open', version: '1.19', flags: [], messages: [/not set, so it serves plain HTTP .* 8080/] },
    { name: '1.16: a non-zero port', version: '1.16', flags: ['--insecure-port=8080'], messages: [/--insecure-port=8080 serves plain HTTP/] },
    { name: '1.23: a non-zero port still counts', version: '1.23', flags: ['--insecure-port=8080'], messages: [/--insecure-port=8080/] },
  ],
});

testComponentControl(controllerManagerPort, {
  valid: [
    { name: '1.21 with --port=0', version: '1.21', flags: ['--port=0'] },
    { name: '1.22: removed, not checked', version: '1.22', flags: [] },
  ],
  invalid: [{ name: '1.21: absent means 10252 is open', version: '1.21', flags: [], messages: [/10252/] }],
});

testComponentControl(schedulerPort, {
  valid: [
    { name: '1.22 with --port=0', version: '1.22', flags: ['--port=0'] },
    { name: '1.23: removed, not checked', version: '1.23', flags: ['--port=10251'] },
  ],
  invalid: [
    { name: '1.22: absent means 10251 is open', version: '1.22', flags: [], messages: [/10251/] },
    { name: '1.20: explicit port', version: '1.20', flags: ['--port=10251'], messages: [/--port=10251/] },
  ],
});

testComponentControl(admission, {
  valid: [
    { name: '1.30: PodSecurity is on by default', version: '1.30', flags: ['--enable-admission-plugins=NodeRestriction'] },
    { name: '1.21 with PodSecurityPolicy', version: '1.21', flags: ['--enable-admission-plugins=NodeRestriction,PodSecurityPolicy'] },
    { name: '1.24: PodSecurityPolicy still exists', version: '1.24', flags: ['--enable-admission-plugins=PodSecurityPolicy'] },
  ],
  invalid: [
    { name: '1.21 without PodSecurityPolicy', version: '1.21', flags: ['--enable-admission-plugins=NodeRestriction'], messages: [/no pod security admission runs/] },
    { name: '1.25: PodSecurityPolicy is gone', version: '1.25', flags: ['--enable-admission-plugins=NodeRestriction,PodSecurityPolicy'], messages: [/removed in 1\.25/] },
    { name: 'PodSecurity disabled', version: '1.30', flags: ['--disable-admission-plugins=PodSecurity'], messages: [/turns PodSecurity off/] },
  ],
});

testComponentControl(removedFlags, {
  valid: [
    { name: '1.23 still accepts --insecure-port=0', version: '1.23', flags: ['--insecure-port=0'] },
    { name: '1.30 without removed flags', version: '1.30', flags: ['--anonymous-auth=false'] },
    { name: '1.21: before the control applies', version: '1.21', flags: ['--kubelet-https=true'] },
  ],
  invalid: [
    { name: '1.24 with --insecure-port=0 from an old guide', version: '1.24', flags: ['--insecure-port=0'], messages: [/removed in 1\.24: kube-apiserver 1\.24 does not start/] },
    { name: '1.22 with --kubelet-https', version: '1.22', flags: ['--kubelet-https=true'], messages: [/removed in 1\.22/] },
  ],
});
