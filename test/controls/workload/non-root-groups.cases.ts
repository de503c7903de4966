/** The valid and invalid cases of non-root-groups.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'groups unset (the image decides)' },
    { name: 'non-zero groups', spec: { securityContext: { runAsGroup: 1000, fsGroup: 2000, supplementalGroups: [3000] } } },
  ],
  invalid: [
    { name: 'container runAsGroup 0', spec: appWith({ runAsGroup: 0 }), fields: ['spec.containers[0].securityContext.runAsGroup'] },
    {
      name: 'pod fsGroup and supplementalGroups 0',
      spec: { securityContext: { runAsGroup: 0, fsGroup: 0, supplementalGroups: [10, 0] } },
      fields: ['spec.securityContext.runAsGroup', 'spec.securityContext.fsGroup', 'spec.securityContext.supplementalGroups[1]'],
    },
  ],
};
