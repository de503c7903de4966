import { control } from '../../../src/controls/pod-security/host-namespaces.js';
import { testControl } from '../../support/control-tester.js';

testControl(control, {
  valid: [
    { name: 'no host namespaces' },
    { name: 'all explicitly false', spec: { hostNetwork: false, hostPID: false, hostIPC: false } },
  ],
  invalid: [
    { name: 'hostNetwork', spec: { hostNetwork: true }, fields: ['spec.hostNetwork'] },
    { name: 'hostPID and hostIPC', spec: { hostPID: true, hostIPC: true }, fields: ['spec.hostPID', 'spec.hostIPC'] },
  ],
});
