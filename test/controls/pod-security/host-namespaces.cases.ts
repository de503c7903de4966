/** The valid and invalid cases of host-namespaces.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'no host namespaces' },
    { name: 'all explicitly false', spec: { hostNetwork: false, hostPID: false, hostIPC: false } },
  ],
  invalid: [
    { name: 'hostNetwork', spec: { hostNetwork: true }, fields: ['spec.hostNetwork'] },
    { name: 'hostPID and hostIPC', spec: { hostPID: true, hostIPC: true }, fields: ['spec.hostPID', 'spec.hostIPC'] },
  ],
};
