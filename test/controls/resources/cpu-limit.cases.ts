/** The valid and invalid cases of cpu-limit, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';
import { withResources, complete } from './fixtures.js';

export const cases: ControlCases = {
  valid: [{ name: 'limit set (init containers are not judged)', spec: withResources(complete) }],
  invalid: [
    { name: 'no resources', fields: ['spec.containers[0].resources.limits.cpu'] },
    { name: 'memory only', spec: withResources({ limits: { memory: '1Gi' } }), fields: ['spec.containers[0].resources.limits.cpu'] },
  ],
};
