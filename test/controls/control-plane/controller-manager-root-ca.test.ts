import { control } from '../../../src/controls/control-plane/controller-manager-root-ca.js';
import { testComponentControl } from '../../support/component-tester.js';

// Trivy's KCV-0037 cases: set passes, absent fails. Checkov's CKV_K8S_111 passes only .pem files (docs/peer-differences.md).
testComponentControl(control, {
  valid: [
    { name: 'kubeadm\'s CA', flags: ['--root-ca-file=/etc/kubernetes/pki/ca.crt'] },
    { name: 'a .pem bundle', flags: ['--root-ca-file', '/srv/kubernetes/ca.pem'] },
  ],
  invalid: [
    { name: 'absent', flags: ['--profiling=false'], messages: [/--root-ca-file is not set: pods get the CA of the controller-manager's kubeconfig/] },
    { name: 'empty', flags: ['--root-ca-file='], messages: [/--root-ca-file is not set/] },
  ],
}, 'kube-controller-manager');
