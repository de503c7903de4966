/** The valid and invalid cases of proc-mount.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'unset' },
    { name: 'Default', spec: appWith({ procMount: 'Default' }) },
    { name: 'Unmasked in a user namespace from 1.35', spec: { ...appWith({ procMount: 'Unmasked' }), hostUsers: false }, version: '1.35' },
  ],
  invalid: [
    { name: 'Unmasked', spec: appWith({ procMount: 'Unmasked' }), fields: ['spec.containers[0].securityContext.procMount'] },
    { name: 'Unmasked in a user namespace before 1.35', spec: { ...appWith({ procMount: 'Unmasked' }), hostUsers: false }, version: '1.34', fields: ['spec.containers[0].securityContext.procMount'] },
  ],
};
