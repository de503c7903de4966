/** The valid and invalid cases of allow-privilege-escalation.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'explicitly false', spec: appWith({ allowPrivilegeEscalation: false }) },
    { name: 'Windows pods are exempt from 1.25', spec: { os: { name: 'windows' } }, version: '1.25' },
    { name: 'not checked before 1.8', version: '1.7' },
  ],
  invalid: [
    { name: 'unset', fields: ['spec.containers[0].securityContext.allowPrivilegeEscalation'] },
    { name: 'true', spec: appWith({ allowPrivilegeEscalation: true }), fields: ['spec.containers[0].securityContext.allowPrivilegeEscalation'] },
    { name: 'Windows pods before 1.25', spec: { os: { name: 'windows' } }, version: '1.24', fields: ['spec.containers[0].securityContext.allowPrivilegeEscalation'] },
  ],
};
