/** The valid and invalid cases of run-as-user.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'unset' },
    { name: 'non-zero', spec: { securityContext: { runAsUser: 1000 } } },
    { name: 'root in a user namespace from 1.35', spec: { hostUsers: false, securityContext: { runAsUser: 0 } }, version: '1.35' },
  ],
  invalid: [
    { name: 'pod runAsUser 0', spec: { securityContext: { runAsUser: 0 } }, fields: ['spec.securityContext.runAsUser'] },
    { name: 'container runAsUser 0', spec: appWith({ runAsUser: 0 }), fields: ['spec.containers[0].securityContext.runAsUser'] },
  ],
};
