/** The valid and invalid cases of capabilities-baseline.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'no capabilities' },
    { name: 'default capabilities added', spec: appWith({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT'] } }) },
    { name: 'dropping anything', spec: appWith({ capabilities: { drop: ['ALL'] } }) },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN and NET_RAW',
      spec: appWith({ capabilities: { add: ['CHOWN', 'SYS_ADMIN', 'NET_RAW'] } }),
      fields: ['spec.containers[0].securityContext.capabilities.add[1]', 'spec.containers[0].securityContext.capabilities.add[2]'],
    },
    { name: 'lower-case name is not a default capability', spec: appWith({ capabilities: { add: ['chown'] } }), fields: ['spec.containers[0].securityContext.capabilities.add[0]'] },
  ],
};
