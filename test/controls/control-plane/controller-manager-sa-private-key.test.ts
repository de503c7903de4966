import { control } from '../../../src/controls/control-plane/controller-manager-sa-private-key.js';
import { testComponentControl } from '../../support/component-tester.js';

// Trivy's KCV-0036 cases: set passes, absent fails. Checkov's CKV_K8S_110 passes only .pem files (docs/peer-differences.md).
testComponentControl(control, {
  valid: [
    { name: 'kubeadm\'s key', flags: ['--service-account-private-key-file=/etc/kubernetes/pki/sa.key'] },
    { name: 'a .pem key', flags: ['--service-account-private-key-file', '/srv/kubernetes/sa-key.pem'] },
  ],
  invalid: [
    { name: 'absent', flags: ['--use-service-account-credentials=true'], messages: [/--service-account-private-key-file is not set: the service account token controller is disabled/] },
    { name: 'empty', flags: ['--service-account-private-key-file='], messages: [/is not set/] },
  ],
}, 'kube-controller-manager');
