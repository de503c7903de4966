/** The valid and invalid cases of proc-mount-restricted.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [{ name: 'unset' }, { name: 'Default', spec: appWith({ procMount: 'Default' }) }],
  invalid: [
    { name: 'Unmasked even in a user namespace', spec: { ...appWith({ procMount: 'Unmasked' }), hostUsers: false }, fields: ['spec.containers[0].securityContext.procMount'] },
  ],
};
