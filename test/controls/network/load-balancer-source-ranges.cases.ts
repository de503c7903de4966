/** The valid and invalid cases of load-balancer-source-ranges, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ObjectControlCases } from '../../support/control-tester.js';
import { service } from './fixtures.js';

export const cases: ObjectControlCases = {
  valid: [
    { name: 'restricted LoadBalancer', object: service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] }) },
    { name: 'not a LoadBalancer', object: service({ type: 'ClusterIP' }) },
  ],
  invalid: [
    { name: 'no ranges', object: service({ type: 'LoadBalancer' }), fields: ['spec.loadBalancerSourceRanges'] },
    { name: 'open to all', object: service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8', '0.0.0.0/0'] }), fields: ['spec.loadBalancerSourceRanges[1]'] },
  ],
};
