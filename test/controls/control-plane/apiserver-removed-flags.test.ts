import { control } from '../../../src/controls/control-plane/apiserver-removed-flags.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
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
