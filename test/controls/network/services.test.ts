import { control as externalIps } from '../../../src/controls/network/external-ips.js';
import { control as ingressTls } from '../../../src/controls/network/ingress-tls.js';
import { control as loadBalancerSourceRanges } from '../../../src/controls/network/load-balancer-source-ranges.js';
import { control as nodePort } from '../../../src/controls/network/node-port.js';
import { testObjectControl } from '../../support/control-tester.js';

const service = (spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { ports: [{ port: 80 }], ...spec } });
const ingress = (spec: object, apiVersion = 'networking.k8s.io/v1') => ({ apiVersion, kind: 'Ingress', metadata: { name: 'i' }, spec });

testObjectControl(nodePort, {
  valid: [{ name: 'ClusterIP', object: service({ type: 'ClusterIP' }) }, { name: 'default type', object: service({}) }],
  invalid: [{ name: 'NodePort', object: service({ type: 'NodePort' }), fields: ['spec.type'] }],
});

testObjectControl(loadBalancerSourceRanges, {
  valid: [
    { name: 'restricted LoadBalancer', object: service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] }) },
    { name: 'not a LoadBalancer', object: service({ type: 'ClusterIP' }) },
  ],
  invalid: [
    { name: 'no ranges', object: service({ type: 'LoadBalancer' }), fields: ['spec.loadBalancerSourceRanges'] },
    { name: 'open to all', object: service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8', '0.0.0.0/0'] }), fields: ['spec.loadBalancerSourceRanges[1]'] },
  ],
});

testObjectControl(externalIps, {
  valid: [{ name: 'no externalIPs', object: service({ externalIPs: [] }) }],
  invalid: [{ name: 'externalIPs', object: service({ externalIPs: ['203.0.113.7'] }), fields: ['spec.externalIPs'] }],
});

testObjectControl(ingressTls, {
  valid: [
    { name: 'TLS', object: ingress({ tls: [{ hosts: ['a.example'], secretName: 'a' }], rules: [] }) },
    { name: 'a CRD named Ingress is not judged', object: ingress({}, 'example.com/v1') },
  ],
  invalid: [
    { name: 'plain HTTP', object: ingress({ rules: [{ host: 'a.example' }] }), fields: ['spec.tls'] },
    { name: 'legacy extensions/v1beta1', object: ingress({ rules: [] }, 'extensions/v1beta1'), fields: ['spec.tls'] },
  ],
});
