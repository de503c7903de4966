import { control } from '../../../src/controls/workload/dangerous-capabilities.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
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
});
