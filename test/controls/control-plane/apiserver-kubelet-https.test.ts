import { control } from '../../../src/controls/control-plane/apiserver-kubelet-https.js';
import { testComponentControl } from '../../support/component-tester.js';

// Checkov's CKV_K8S_71 cases (a command with --kubelet-https=true passes, =false fails), plus pflag's spellings
// and the version gates Checkov does not have.
testComponentControl(control, {
  valid: [
    { name: 'absent: HTTPS by default', version: '1.18', flags: [] },
    { name: 'true', version: '1.18', flags: ['--kubelet-https=true'] },
    { name: 'a bare flag means true', version: '1.16', flags: ['--kubelet-https'] },
    { name: 'a bare flag then a word: the word is no value (a boolean flag)', version: '1.16', flags: ['--kubelet-https', 'false'] },
    { name: 'false then true: the last one wins', version: '1.18', flags: ['--kubelet-https=false', '--kubelet-https=true'] },
    { name: '1.22 and later: not run (the flag is gone; CP-APISERVER-REMOVED-FLAGS reports it)', version: '1.22', flags: ['--kubelet-https=false'] },
  ],
  invalid: [
    { name: '1.18: false means plain HTTP', version: '1.18', flags: ['--kubelet-https=false'], messages: [/^--kubelet-https=false: the API server calls kubelets \(logs, exec, port-forward\) over plain HTTP$/] },
    { name: '1.10: pflag spelling F', version: '1.10', flags: ['--kubelet-https=F'], messages: [/^--kubelet-https=false: .*plain HTTP$/] },
    { name: '1.16: 0', version: '1.16', flags: ['--kubelet-https=0'], messages: [/^--kubelet-https=false/] },
    { name: '1.19: ignored, still reported', version: '1.19', flags: ['--kubelet-https=false'], messages: [/^--kubelet-https=false: kube-apiserver 1\.19 ignores it and uses HTTPS, but the manifest asks for plain HTTP to kubelets, and 1\.22 does not start with the flag$/] },
    { name: '1.21: the last version it runs', version: '1.21', flags: ['--kubelet-https=false'], messages: [/kube-apiserver 1\.21 ignores it/] },
  ],
});
