/** The valid and invalid cases of privileged.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'no securityContext' },
    { name: 'privileged: false', spec: appWith({ privileged: false }) },
  ],
  invalid: [
    { name: 'privileged container', spec: appWith({ privileged: true }), fields: ['spec.containers[0].securityContext.privileged'] },
    {
      name: 'privileged init and ephemeral containers',
      spec: {
        ...appWith({}),
        initContainers: [{ name: 'init', image: 'x', securityContext: { privileged: true } }],
        ephemeralContainers: [{ name: 'debug', image: 'x', securityContext: { privileged: true } }],
      },
      fields: ['spec.initContainers[0].securityContext.privileged', 'spec.ephemeralContainers[0].securityContext.privileged'],
    },
  ],
};
