/** The valid and invalid cases of capabilities-restricted.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'drop ALL', spec: appWith({ capabilities: { drop: ['ALL'] } }) },
    { name: 'drop ALL, add NET_BIND_SERVICE', spec: appWith({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }) },
    { name: 'Windows pods from 1.25', spec: { os: { name: 'windows' } } },
  ],
  invalid: [
    { name: 'nothing dropped', fields: ['spec.containers[0].securityContext.capabilities.drop'] },
    { name: 'drop NET_RAW only', spec: appWith({ capabilities: { drop: ['NET_RAW'] } }), fields: ['spec.containers[0].securityContext.capabilities.drop'] },
    { name: 'adds CHOWN', spec: appWith({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } }), fields: ['spec.containers[0].securityContext.capabilities.add[0]'] },
  ],
};
