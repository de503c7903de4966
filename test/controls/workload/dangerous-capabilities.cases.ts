/** The valid and invalid cases of dangerous-capabilities.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'harmless additions', spec: appWith({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] } }) },
    { name: 'dropping dangerous ones', spec: appWith({ capabilities: { drop: ['SYS_ADMIN', 'NET_RAW'] } }) },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN, CAP_NET_RAW and lower-case bpf',
      spec: appWith({ capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'CAP_NET_RAW', 'bpf'] } }),
      fields: [0, 2, 3].map((index) => `spec.containers[0].securityContext.capabilities.add[${index}]`),
    },
  ],
};
