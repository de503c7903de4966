import { control as externalIps } from '../../../src/controls/network/external-ips.js';
import { control as externalNamePlainHttp } from '../../../src/controls/network/external-name-plain-http.js';
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

const externalName = (host: string, ports?: object[]) => {
  const object = service({ type: 'ExternalName', externalName: host, ports: ports ?? [] });
  if (!ports) delete (object.spec as { ports?: unknown }).ports;
  return object;
};

testObjectControl(externalNamePlainHttp, {
  valid: [
    { name: 'HTTPS by port name', object: externalName('api.example.com', [{ name: 'https', port: 443 }]) },
    { name: 'appProtocol https on port 80 (TLS on a non-standard port)', object: externalName('api.example.com', [{ port: 80, appProtocol: 'https' }]) },
    { name: 'a database port', object: externalName('db.example.com', [{ name: 'postgres', port: 5432 }]) },
    { name: 'no ports: nothing says how it is called', object: externalName('api.example.com') },
    { name: 'an in-cluster name', object: externalName('web.shop.svc.cluster.local', [{ name: 'http', port: 80 }]) },
    { name: 'an in-cluster short name', object: externalName('web.shop.svc', [{ port: 80 }]) },
    { name: 'a ClusterIP Service on port 80 is not ExternalName', object: service({ type: 'ClusterIP' }) },
    { name: 'port 80 named for TLS', object: externalName('api.example.com', [{ name: 'tls', port: 80 }]) },
  ],
  invalid: [
    { name: 'port 80 without name', object: externalName('api.example.com', [{ port: 80 }]), fields: ['spec.ports[0]'] },
    { name: 'port 8080', object: externalName('api.example.com', [{ port: 8080 }]), fields: ['spec.ports[0]'] },
    { name: 'named http on another port', object: externalName('legacy.example.com', [{ name: 'https', port: 443 }, { name: 'http-metrics', port: 9100 }]), fields: ['spec.ports[1]'] },
    { name: 'appProtocol http', object: externalName('api.example.com', [{ name: 'web', port: 9000, appProtocol: 'http' }]), fields: ['spec.ports[0]'] },
    { name: 'h2c (plaintext HTTP/2)', object: externalName('grpc.example.com', [{ port: 50051, appProtocol: 'kubernetes.io/h2c' }]), fields: ['spec.ports[0]'] },
  ],
});
