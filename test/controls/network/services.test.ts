import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { control as externalIps } from '../../../src/controls/network/external-ips.js';
import { control as externalNamePlainHttp } from '../../../src/controls/network/external-name-plain-http.js';
import { control as ingressTls } from '../../../src/controls/network/ingress-tls.js';
import { control as loadBalancerSourceRanges } from '../../../src/controls/network/load-balancer-source-ranges.js';
import { control as nodePort } from '../../../src/controls/network/node-port.js';
import { findingsFor, testObjectControl } from '../../support/control-tester.js';
import { service } from './fixtures.js';
import { cases as nodePortCases } from './node-port.cases.js';
import { cases as loadBalancerSourceRangesCases } from './load-balancer-source-ranges.cases.js';
import { cases as externalIpsCases } from './external-ips.cases.js';
import { cases as ingressTlsCases } from './ingress-tls.cases.js';

testObjectControl(nodePort, nodePortCases);

describe('NET-NO-NODEPORT says why a LoadBalancer is reported, by version', () => {
  const cases: { name: string; spec: object; version: string; messages: RegExp[] }[] = [
    { name: '1.37: default allocation', spec: { type: 'LoadBalancer' }, version: '1.37', messages: [/^Service is of type LoadBalancer without allocateLoadBalancerNodePorts: false: it also opens a node port on every node/] },
    { name: '1.22: the field is honoured (beta)', spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }, version: '1.22', messages: [] },
    { name: '1.21: the field is dropped (alpha gate off by default)', spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }, version: '1.21', messages: [/^allocateLoadBalancerNodePorts: false is dropped before 1\.22 .*opens a node port on every node$/] },
    { name: '1.19: the field did not exist', spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }, version: '1.19', messages: [/dropped before 1\.22/] },
    { name: '1.30: an explicit node port', spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80, nodePort: 30080 }] }, version: '1.30', messages: [/^LoadBalancer port asks for node port 30080, which is opened on every node even with allocateLoadBalancerNodePorts: false$/] },
    { name: 'NodePort at any version', spec: { type: 'NodePort' }, version: '1.16', messages: [/^Service is of type NodePort: its port is open on every node$/] },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const { findings } = findingsFor(nodePort, { name: testCase.name, version: testCase.version }, yaml.dump(service(testCase.spec)));
      assert.equal(findings.length, testCase.messages.length, findings.map((f) => f.message).join('\n'));
      findings.forEach((finding, index) => assert.match(finding.message, testCase.messages[index] as RegExp));
    });
  }
});

testObjectControl(loadBalancerSourceRanges, loadBalancerSourceRangesCases);

testObjectControl(externalIps, externalIpsCases);

testObjectControl(ingressTls, ingressTlsCases);

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
