import { control } from '../../../src/controls/pod-security/run-as-user.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
  valid: [
    { name: 'unset' },
    { name: 'non-zero', spec: { securityContext: { runAsUser: 1000 } } },
    { name: 'root in a user namespace from 1.35', spec: { hostUsers: false, securityContext: { runAsUser: 0 } }, version: '1.35' },
  ],
  invalid: [
    { name: 'pod runAsUser 0', spec: { securityContext: { runAsUser: 0 } }, fields: ['spec.securityContext.runAsUser'] },
    { name: 'container runAsUser 0', spec: appWith({ runAsUser: 0 }), fields: ['spec.containers[0].securityContext.runAsUser'] },
  ],
});
