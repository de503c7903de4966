/** The valid and invalid cases of requests, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';
import { withResources, complete } from './fixtures.js';

export const cases: ControlCases = {
  valid: [{ name: 'both requests', spec: withResources(complete) }],
  invalid: [
    { name: 'none', fields: ['spec.containers[0].resources.requests.cpu', 'spec.containers[0].resources.requests.memory'] },
    { name: 'memory missing', spec: withResources({ requests: { cpu: '1' } }), fields: ['spec.containers[0].resources.requests.memory'] },
  ],
};
