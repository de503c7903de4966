import { control as kubeletClient } from '../../../src/controls/control-plane/apiserver-kubelet-client.js';
import { control as cmBind } from '../../../src/controls/control-plane/controller-manager-bind-address.js';
import { control as cmProfiling } from '../../../src/controls/control-plane/controller-manager-profiling.js';
import { control as schedBind } from '../../../src/controls/control-plane/scheduler-bind-address.js';
import { control as schedProfiling } from '../../../src/controls/control-plane/scheduler-profiling.js';
import { testComponentControl } from '../../support/component-tester.js';

for (const control of [cmBind, schedBind]) {
  testComponentControl(control, {
    valid: [
      { name: 'loopback (kubeadm)', flags: ['--bind-address=127.0.0.1'] },
      { name: 'unset (as kube-bench)', flags: [] },
    ],
    invalid: [{ name: 'every interface', flags: ['--bind-address=0.0.0.0'], messages: [/--bind-address=0\.0\.0\.0 exposes port 102(57|59)/] }],
  });
}

for (const control of [cmProfiling, schedProfiling]) {
  testComponentControl(control, {
    valid: [{ name: 'off', flags: ['--profiling=false'] }],
    invalid: [
      { name: 'unset: on', flags: [], messages: [/defaults to true: it serves \/debug\/pprof/] },
      { name: 'on', flags: ['--profiling=true'], messages: [/--profiling=true/] },
    ],
  });
}

testComponentControl(kubeletClient, {
  valid: [{ name: 'kubeadm flags', flags: ['--kubelet-client-certificate=/pki/k.crt', '--kubelet-client-key=/pki/k.key', '--kubelet-certificate-authority=/pki/ca.crt'] }],
  invalid: [
    { name: 'nothing', flags: [], messages: [/kubelet-client-certificate/, /kubelet-client-key/, /kubelet-certificate-authority/] },
    { name: 'no CA (kubeadm leaves it out)', flags: ['--kubelet-client-certificate=/pki/k.crt', '--kubelet-client-key=/pki/k.key'], messages: [/does not verify the kubelets/] },
  ],
});
