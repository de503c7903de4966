import { control } from '../../../src/controls/pod-security/capabilities-restricted.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
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
});
