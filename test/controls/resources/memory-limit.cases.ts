/** The valid and invalid cases of memory-limit, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';
import { withResources, complete } from './fixtures.js';

export const cases: ControlCases = {
  valid: [{ name: 'limit set', spec: withResources(complete) }],
  invalid: [{ name: 'cpu only', spec: withResources({ limits: { cpu: 1 } }), fields: ['spec.containers[0].resources.limits.memory'] }],
};
