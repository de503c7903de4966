/** The valid and invalid cases of node-port, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ObjectControlCases } from '../../support/control-tester.js';
import { service } from './fixtures.js';

export const cases: ObjectControlCases = {
  valid: [
    { name: 'ClusterIP', object: service({ type: 'ClusterIP' }) },
    { name: 'default type', object: service({}) },
    { name: 'LoadBalancer without node ports', object: service({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }) },
    { name: 'a spec that is not a mapping', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: 'LoadBalancer' } },
  ],
  invalid: [
    { name: 'NodePort', object: service({ type: 'NodePort' }), fields: ['spec.type'] },
    { name: 'LoadBalancer: allocates node ports by default', object: service({ type: 'LoadBalancer' }), fields: ['spec.type'] },
    { name: 'LoadBalancer: allocation asked for', object: service({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: true }), fields: ['spec.type'] },
    {
      name: 'LoadBalancer without allocation, but a port asks for a node port',
      object: service({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }, { port: 443, nodePort: 30443 }] }),
      fields: ['spec.ports[1].nodePort'],
    },
  ],
};
