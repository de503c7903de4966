/**
 * NetworkPolicy semantics, case by case (research D.1): policyTypes defaulting, empty versus missing lists, AND
 * versus OR peers, named ports on the destination, endPort, the TCP default, ipBlock with except (IPv4 and IPv6),
 * both ends agreeing, host-network pods, and the validation the API server applies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionSet } from '../../src/netpol/connections.js';
import { Reachability, type ReachabilityOptions } from '../../src/netpol/engine.js';
import { explainConnection } from '../../src/netpol/explain.js';
import { IpSet } from '../../src/netpol/ip.js';
import { NetworkModelBuilder } from '../../src/netpol/model.js';
import { parsePolicy } from '../../src/netpol/policy.js';

type Json = Record<string, unknown>;

/** Two namespaces: a holds client (role=client) and server (role=server, ports http 8080, dns 53/UDP); b holds other. */
function world(policies: Json[], options: ReachabilityOptions = {}, serverSpec: Json = {}): { reach: Reachability; index: (name: string) => number } {
  const builder = new NetworkModelBuilder();
  builder.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { team: 'one' } } }, 't');
  builder.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b', labels: { team: 'two' } } }, 't');
  const pod = (name: string, namespace: string, labels: Json, spec: Json, ip: string) =>
    builder.add({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'x', ...spec }] , ...(spec.hostNetwork ? { hostNetwork: true } : {}) }, status: { podIP: ip } }, 't');
  pod('client', 'a', { role: 'client' }, {}, '10.0.0.1');
  pod('server', 'a', { role: 'server' }, { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }], ...serverSpec }, '10.0.0.2');
  pod('other', 'b', { role: 'client' }, {}, '10.0.1.1');
  for (const spec of policies) builder.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${policies.indexOf(spec)}`, namespace: 'a' }, spec }, 't');
  assert.deepEqual(builder.problems, []);
  const reach = new Reachability(builder.build(), options);
  return { reach, index: (name) => reach.endpoints.findIndex((endpoint) => `${endpoint.namespace}/${endpoint.name}` === name) };
}

const onServer = { podSelector: { matchLabels: { role: 'server' } } };

interface Case {
  readonly name: string;
  readonly policies: Json[];
  readonly from: string;
  readonly to: string;
  /** The allowed connections, as ConnectionSet text. */
  readonly expect: string;
  readonly options?: ReachabilityOptions;
  readonly serverSpec?: Json;
}

const CASES: Case[] = [
  { name: 'no policy: everything', policies: [], from: 'a/client', to: 'a/server', expect: 'All Connections' },
  { name: 'no policyTypes and no rules: Ingress only, deny all in', policies: [{ ...onServer }], from: 'a/client', to: 'a/server', expect: 'No Connections' },
  { name: 'egress-only rules without policyTypes also deny all ingress', policies: [{ ...onServer, egress: [{}] }], from: 'a/client', to: 'a/server', expect: 'No Connections' },
  { name: 'egress: [] without policyTypes does not isolate egress', policies: [{ ...onServer, egress: [] }], from: 'a/server', to: 'a/client', expect: 'All Connections' },
  { name: 'ingress: [{}] allows all', policies: [{ ...onServer, ingress: [{}] }], from: 'b/other', to: 'a/server', expect: 'All Connections' },
  { name: 'from: [] means every peer', policies: [{ ...onServer, ingress: [{ from: [], ports: [{ port: 8080 }] }] }], from: 'b/other', to: 'a/server', expect: 'TCP 8080' },
  { name: 'ports: [] means every port', policies: [{ ...onServer, ingress: [{ from: [{ podSelector: {} }], ports: [] }] }], from: 'a/client', to: 'a/server', expect: 'All Connections' },
  { name: 'podSelector peer stays in the policy namespace', policies: [{ ...onServer, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] }], from: 'b/other', to: 'a/server', expect: 'No Connections' },
  { name: 'namespaceSelector {} means every namespace', policies: [{ ...onServer, ingress: [{ from: [{ namespaceSelector: {} }] }] }], from: 'b/other', to: 'a/server', expect: 'All Connections' },
  { name: 'AND in one peer', policies: [{ ...onServer, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'two' } }, podSelector: { matchLabels: { role: 'server' } } }] }] }], from: 'b/other', to: 'a/server', expect: 'No Connections' },
  { name: 'OR across peers', policies: [{ ...onServer, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'two' } } }, { podSelector: { matchLabels: { role: 'server' } } }] }] }], from: 'b/other', to: 'a/server', expect: 'All Connections' },
  { name: 'named port resolves on the destination', policies: [{ ...onServer, ingress: [{ ports: [{ port: 'http' }, { port: 'dns', protocol: 'UDP' }] }] }], from: 'a/client', to: 'a/server', expect: 'TCP 8080,UDP 53' },
  { name: 'a named port with another protocol matches nothing', policies: [{ ...onServer, ingress: [{ ports: [{ port: 'dns' }] }] }], from: 'a/client', to: 'a/server', expect: 'No Connections' },
  { name: 'endPort is an inclusive range', policies: [{ ...onServer, ingress: [{ ports: [{ port: 8000, endPort: 8100 }] }] }], from: 'a/client', to: 'a/server', expect: 'TCP 8000-8100' },
  { name: 'protocol without port: all its ports', policies: [{ ...onServer, ingress: [{ ports: [{ protocol: 'SCTP' }] }] }], from: 'a/client', to: 'a/server', expect: 'SCTP 1-65535' },
  { name: 'both ends must allow: client egress denied', policies: [{ podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] }], from: 'a/client', to: 'a/server', expect: 'No Connections' },
  { name: 'both ends: intersection of egress and ingress ports', policies: [{ podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80, endPort: 9000 }] }] }, { ...onServer, ingress: [{ ports: [{ port: 8080 }, { port: 9999 }] }] }], from: 'a/client', to: 'a/server', expect: 'TCP 8080' },
  { name: 'ipBlock matches pod IPs by default', policies: [{ ...onServer, ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }] }], from: 'b/other', to: 'a/server', expect: 'All Connections' },
  { name: 'ipBlock except removes the pod', policies: [{ ...onServer, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }] }] }], from: 'b/other', to: 'a/server', expect: 'No Connections' },
  { name: 'ipBlock matches no pod when told so', policies: [{ ...onServer, ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }] }], from: 'b/other', to: 'a/server', expect: 'No Connections', options: { ipBlockMatchesPods: false } },
  { name: 'host-network pods are outside policy', policies: [{ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }], from: 'a/client', to: 'a/server', expect: 'All Connections', serverSpec: { hostNetwork: true } },
  { name: 'host-network pods as pods (netpol-analyzer)', policies: [{ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }], from: 'a/client', to: 'a/server', expect: 'No Connections', serverSpec: { hostNetwork: true }, options: { hostNetwork: 'as-pods' } },
];

describe('NetworkPolicy semantics', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const { reach, index } = world(testCase.policies, testCase.options, testCase.serverSpec);
      assert.equal(reach.connections(index(testCase.from), index(testCase.to)).toString(), testCase.expect);
    });
  }
});

describe('addresses outside the cluster', () => {
  it('ipBlock with except, IPv4 and IPv6; named ports never match an address', () => {
    const { reach, index } = world([
      { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'], egress: [
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ port: 443 }, { port: 'http' }] },
        { to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] },
      ] },
    ]);
    const client = index('a/client');
    const to = (address: string) => reach.externalConnections(client, 'Egress', IpSet.parse(address) as IpSet).toString();
    assert.equal(to('8.8.8.8'), 'TCP 443');
    assert.equal(to('169.254.169.254'), 'No Connections');
    assert.equal(to('2001:db8:2::1'), 'All Connections');
    assert.equal(to('2001:db8:1::1'), 'No Connections');
    assert.equal(to('::1'), 'No Connections');
  });
});

describe('validation (the API server would reject these)', () => {
  const invalid: [string, Json][] = [
    ['a peer without fields', { podSelector: {}, ingress: [{ from: [{}] }] }],
    ['ipBlock with a selector', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }],
    ['except outside the cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] } }] }] }],
    ['a cidr that is not one', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.300/8' } }] }] }],
    ['endPort below port', { podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }],
    ['endPort with a named port', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 80 }] }] }],
    ['an unknown protocol', { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }],
    ['an unknown selector operator', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } }],
  ];
  for (const [name, spec] of invalid) {
    it(`rejects ${name}`, () => assert.equal(parsePolicy({ metadata: { name: 'p' }, spec }).ok, false));
  }
  it('accepts a missing podSelector as the empty selector (every pod)', () => assert.equal(parsePolicy({ metadata: { name: 'p' }, spec: {} }).ok, true));
});

describe('connection sets', () => {
  it('union, intersection, subtraction and the analyzer notation', () => {
    const a = ConnectionSet.parse('TCP 1-79,81-65535,UDP 53');
    assert.equal(a.union(ConnectionSet.port('TCP', 80)).toString(), 'TCP 1-65535,UDP 53');
    assert.equal(a.intersect(ConnectionSet.parse('TCP 70-90')).toString(), 'TCP 70-79,81-90');
    assert.equal(ConnectionSet.all.subtract(ConnectionSet.allOf('SCTP')).subtract(ConnectionSet.allOf('UDP')).toString(), 'TCP 1-65535');
    assert.equal(ConnectionSet.parse('All Connections').isAll(), true);
    assert.equal(ConnectionSet.parse('SCTP 1-65535,TCP 1-65535,UDP 1-65535').isAll(), true);
  });
});

describe('explain', () => {
  it('names the policy and rule that allow, and why the others do not', () => {
    const { reach, index } = world([
      { ...onServer, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'nobody' } } }] }, { from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 8080 }] }] },
    ]);
    const allowed = explainConnection(reach, { endpoint: index('a/client') }, { endpoint: index('a/server') }, 'TCP', 8080);
    assert.equal(allowed.allowed, true);
    assert.deepEqual(allowed.ingress.allowedBy, ['a/p0']);
    assert.match(allowed.ingress.reasons[0] ?? '', /a\/p0 ingress\[1\] allows it/);
    const denied = explainConnection(reach, { endpoint: index('a/client') }, { endpoint: index('a/server') }, 'TCP', 22);
    assert.equal(denied.allowed, false);
    assert.deepEqual(denied.ingress.deniedBy, ['a/p0']);
    assert.match(denied.ingress.reasons.join('\n'), /ingress\[0\] does not match a\/client; ingress\[1\] matches a\/client but allows TCP 8080, not TCP 22/);
    assert.match(denied.egress.reasons[0] ?? '', /no NetworkPolicy selects it for Egress/);
  });
});
