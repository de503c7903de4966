/**
 * The Kubernetes e2e NetworkPolicy reachability cases (test/e2e/network/netpol), as transcribed in
 * ../shared/research/detective-and-network.md section D.3: namespaces x, y, z; pods a, b, c labelled pod=<name>,
 * serving 80 and 81 on TCP, UDP and SCTP under port names serve-<port>-<proto>. Each case starts from "everything
 * reachable" and lists the deviations; every ordered pod pair except loopback is compared. Cases whose policies
 * or labels change over time are a sequence of steps, each with its own expectations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Protocol } from '../../src/netpol/connections.js';
import { Reachability } from '../../src/netpol/engine.js';
import { NetworkModelBuilder } from '../../src/netpol/model.js';

type Json = Record<string, unknown>;

const NAMESPACE_INDEX: Record<string, number> = { x: 1, y: 2, z: 3 };
const POD_INDEX: Record<string, number> = { a: 1, b: 2, c: 3 };
/** Pod addresses: 10.<namespace>.<pod>.10, so x/b is 10.1.2.10. */
const ipOf = (pod: string) => {
  const [namespace, name] = pod.split('/') as [string, string];
  return `10.${NAMESPACE_INDEX[namespace]}.${POD_INDEX[name]}.10`;
};

/** A deviation from the default "reachable": `from` and `to` are `ns/pod`, `ns/*` or `*`. */
type Deviation = readonly [from: string, to: string, allowed: boolean];

interface Probe {
  readonly port: number;
  readonly protocol: Protocol;
  readonly deviations: readonly Deviation[];
}

interface Step {
  readonly policies: readonly Json[];
  readonly namespaceLabels?: Readonly<Record<string, Record<string, string>>>;
  readonly podLabels?: Readonly<Record<string, Record<string, string>>>;
  readonly probes: readonly Probe[];
}

interface E2eCase {
  readonly id: string;
  readonly name: string;
  readonly pods: readonly string[];
  readonly steps: readonly Step[];
}

const policy = (namespace: string, name: string, spec: Json): Json => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});
const pod = (name: string) => ({ matchLabels: { pod: name } });
const nsNamed = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const nsIn = (operator: 'In' | 'NotIn', ...names: string[]) => ({
  matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator, values: names }],
});
const tcp = (port: number, deviations: readonly Deviation[] = []): Probe => ({ port, protocol: 'TCP', deviations });
const probe = (protocol: Protocol, port: number, deviations: readonly Deviation[] = []): Probe => ({ port, protocol, deviations });
const one = (policies: readonly Json[], ...probes: Probe[]): Step[] => [{ policies, probes }];

const denyAllIngress = policy('x', 'deny-all-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const onlyFromY = (port: number, protocol: Protocol = 'TCP', name = `allow-y-${port}`) =>
  policy('x', name, { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsNamed('y') }], ports: [{ port, protocol }] }] });
const onlyFromYa = policy('x', 'allow-y-a', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsNamed('y'), podSelector: pod('a') }] }] });
const portsCase = (protocol: Protocol): Step[] =>
  one([onlyFromY(81, protocol)], probe(protocol, 81, [['x/*', 'x/a', false], ['z/*', 'x/a', false]]), probe(protocol, 80, [['*', 'x/a', false]]));
const andCase = (protocol: Protocol): Step[] => one([onlyFromYa], probe(protocol, 80, [['*', 'x/a', false], ['y/a', 'x/a', true]]));
const denyAllCase = (protocol: Protocol): Step[] => one([denyAllIngress], probe(protocol, 80, [['*', 'x/*', false]]));
const fromYDeviations: Deviation[] = [['x/*', 'x/a', false], ['z/*', 'x/a', false]];
const egressExceptB = policy('x', 'except', {
  podSelector: pod('a'),
  policyTypes: ['Egress'],
  egress: [{ to: [{ ipBlock: { cidr: '10.1.0.0/16', except: [`${ipOf('x/b')}/32`] } }] }],
});

const CASES: readonly E2eCase[] = [
  { id: '1', name: 'default-deny-ingress', pods: ['x/a', 'x/b', 'y/a', 'y/b'], steps: denyAllCase('TCP') },
  {
    id: '2', name: 'default-deny-all', pods: ['x/a', 'x/b', 'y/a'],
    steps: one([policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })], tcp(80, [['*', 'x/*', false], ['x/*', '*', false]])),
  },
  {
    id: '3', name: 'allow from pods in the server namespace by PodSelector', pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    steps: one([policy('x', 'from-b', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }] }] })], tcp(80, [['*', 'x/a', false], ['x/b', 'x/a', true]])),
  },
  {
    id: '4', name: 'allow ingress for a target', pods: ['x/a', 'x/b', 'y/a'],
    steps: one(
      [denyAllIngress, policy('x', 'allow-a', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] })],
      tcp(80, [['*', 'x/b', false]]),
    ),
  },
  {
    id: '5', name: 'allow from all namespaces', pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: one([policy('x', 'all-ns', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: {} }] }] })], tcp(80)),
  },
  {
    id: '6', name: 'only from a different namespace (NamespaceSelector)', pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: one([policy('x', 'from-y', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsNamed('y') }] }] })], tcp(80, fromYDeviations)),
  },
  {
    id: '7', name: 'PodSelector with matchExpressions', pods: ['x/a', 'x/b', 'y/a'],
    steps: one(
      [policy('x', 'in-b', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }] })],
      tcp(80, [['*', 'x/a', false], ['x/b', 'x/a', true]]),
    ),
  },
  {
    id: '8', name: 'NamespaceSelector with matchExpressions', pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: one([policy('x', 'in-y', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsIn('In', 'y') }] }] })], tcp(80, fromYDeviations)),
  },
  {
    id: '9', name: 'PodSelector OR NamespaceSelector', pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    steps: one(
      [policy('x', 'or', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsIn('NotIn', 'x') }, { podSelector: pod('b') }] }] })],
      tcp(80, [['x/c', 'x/a', false]]),
    ),
  },
  {
    id: '10', name: 'PodSelector AND NamespaceSelector', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'],
    steps: one(
      [policy('x', 'and', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsIn('NotIn', 'x'), podSelector: pod('b') }] }] })],
      tcp(80, [['*', 'x/a', false], ['y/b', 'x/a', true], ['z/b', 'x/a', true]]),
    ),
  },
  {
    id: '11', name: 'multiple pod and namespace selectors', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'],
    steps: one(
      [policy('x', 'multi', {
        podSelector: pod('a'),
        ingress: [{ from: [{ namespaceSelector: nsIn('NotIn', 'x'), podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] }],
      })],
      tcp(80, [['x/*', 'x/a', false], ['y/a', 'x/a', false]]),
    ),
  },
  {
    id: '12', name: 'any of several PodSelectors', pods: ['x/a', 'x/b', 'x/c'],
    steps: one(
      [policy('x', 'b-or-c', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }, { podSelector: pod('c') }] }] })],
      tcp(80, [['*', 'x/a', false], ['x/b', 'x/a', true], ['x/c', 'x/a', true]]),
    ),
  },
  { id: '13', name: 'only from a pod in another namespace (AND)', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], steps: andCase('TCP') },
  { id: '14', name: 'only on one port', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], steps: portsCase('TCP') },
  {
    id: '15', name: 'stacked overlapping policies', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    steps: [
      { policies: [onlyFromY(81)], probes: [tcp(81, fromYDeviations), tcp(80, [['*', 'x/a', false]])] },
      { policies: [onlyFromY(81), onlyFromY(80)], probes: [tcp(81, fromYDeviations), tcp(80, fromYDeviations)] },
    ],
  },
  {
    id: '16', name: 'allow-all ingress', pods: ['x/a', 'x/b', 'y/a'],
    steps: one([policy('x', 'allow-all', { podSelector: {}, ingress: [{}] })], tcp(80), tcp(81)),
  },
  {
    id: '17', name: 'ingress on one named port', pods: ['x/a', 'x/b', 'y/a'],
    steps: one([policy('x', 'named-81', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })], tcp(81), tcp(80, [['*', 'x/*', false]])),
  },
  {
    id: '18', name: 'ingress from a namespace on one named port', pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: one(
      [policy('x', 'y-named-80', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsNamed('y') }], ports: [{ port: 'serve-80-tcp' }] }] })],
      tcp(80, fromYDeviations),
      tcp(81, [['*', 'x/a', false]]),
    ),
  },
  {
    id: '19', name: 'egress on one named port', pods: ['x/a', 'y/a'],
    steps: one([policy('x', 'egress-80', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })], tcp(80), tcp(81, [['x/*', '*', false]])),
  },
  {
    id: '20', name: 'updated policy', pods: ['x/a', 'y/a'],
    steps: [
      { policies: [policy('x', 'p', { podSelector: {}, ingress: [{}] })], probes: [tcp(81)] },
      { policies: [policy('x', 'p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })], probes: [tcp(81, [['*', 'x/*', false]])] },
    ],
  },
  {
    id: '21', name: 'ingress from an updated namespace', pods: ['x/a', 'y/a'],
    steps: [
      { policies: [policy('x', 'ns2', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] })], probes: [tcp(80, [['*', 'x/a', false]])] },
      {
        policies: [policy('x', 'ns2', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] })],
        namespaceLabels: { y: { ns2: 'updated' } },
        probes: [tcp(80, [['*', 'x/a', false], ['y/*', 'x/a', true]])],
      },
    ],
  },
  {
    id: '22', name: 'ingress from an updated pod', pods: ['x/a', 'x/b'],
    steps: [
      { policies: [policy('x', 'pod2', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }] })], probes: [tcp(80, [['*', 'x/a', false]])] },
      {
        policies: [policy('x', 'pod2', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }] })],
        podLabels: { 'x/b': { pod2: 'updated' } },
        probes: [tcp(80)],
      },
    ],
  },
  {
    id: '23', name: 'deny ingress from other namespaces', pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: one([policy('x', 'same-ns', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })], tcp(80, [['y/*', 'x/*', false], ['z/*', 'x/*', false]])),
  },
  {
    id: '24', name: 'deny ingress to an updated pod', pods: ['x/a', 'y/a'],
    steps: [
      { policies: [policy('x', 'isolated', { podSelector: { matchLabels: { target: 'isolated' } }, policyTypes: ['Ingress'] })], probes: [tcp(80)] },
      {
        policies: [policy('x', 'isolated', { podSelector: { matchLabels: { target: 'isolated' } }, policyTypes: ['Ingress'] })],
        podLabels: { 'x/a': { target: 'isolated' } },
        probes: [tcp(80, [['*', 'x/a', false]])],
      },
    ],
  },
  {
    id: '25', name: 'deny egress by PodSelector', pods: ['x/a', 'x/b', 'y/a'],
    steps: one([policy('x', 'deny-a', { podSelector: pod('a'), policyTypes: ['Egress'] })], tcp(80, [['x/a', '*', false]])),
  },
  {
    id: '26', name: 'deny egress for all pods in a namespace', pods: ['x/a', 'x/b', 'y/a'],
    steps: one([policy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })], tcp(80, [['x/*', '*', false]])),
  },
  {
    id: '27', name: 'Ingress and Egress together', pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    steps: one(
      [policy('x', 'both', { podSelector: pod('a'), policyTypes: ['Egress', 'Ingress'], ingress: [{ from: [{ podSelector: pod('b') }] }], egress: [{ ports: [{ port: 80 }] }] })],
      tcp(80, [['*', 'x/a', false], ['x/b', 'x/a', true]]),
      tcp(81, [['*', 'x/a', false], ['x/a', '*', false], ['x/b', 'x/a', true]]),
    ),
  },
  {
    id: '28', name: 'client-side egress deny overrides a server allow', pods: ['x/a', 'y/a', 'y/b'],
    steps: one(
      [
        policy('x', 'to-y-a', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: nsNamed('y'), podSelector: pod('a') }] }] }),
        policy('y', 'a-from-x-a', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsNamed('x'), podSelector: pod('a') }] }] }),
        policy('y', 'b-from-x-a', { podSelector: pod('b'), ingress: [{ from: [{ namespaceSelector: nsNamed('x'), podSelector: pod('a') }] }] }),
      ],
      tcp(80, [['x/a', '*', false], ['*', 'y/a', false], ['*', 'y/b', false], ['x/a', 'y/a', true]]),
    ),
  },
  {
    id: '29', name: 'egress to a server in another namespace (AND)', pods: ['x/a', 'y/a', 'y/b'],
    steps: one(
      [policy('x', 'to-y-a', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: nsNamed('y'), podSelector: pod('a') }] }] })],
      tcp(80, [['x/a', '*', false], ['x/a', 'y/a', true]]),
    ),
  },
  {
    id: '30', name: 'any port of one protocol', pods: ['x/a', 'y/a'],
    steps: one([policy('x', 'tcp-only', { podSelector: pod('a'), ingress: [{ ports: [{ protocol: 'TCP' }] }] })], tcp(80), probe('UDP', 80, [['*', 'x/a', false]])),
  },
  {
    id: '31', name: 'several ingress policies: allow-all wins', pods: ['x/a', 'y/a'],
    steps: [
      { policies: [policy('x', 'port-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })], probes: [tcp(81, [['*', 'x/*', false]])] },
      { policies: [policy('x', 'port-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }), policy('x', 'all', { podSelector: {}, ingress: [{}] })], probes: [tcp(81)] },
    ],
  },
  {
    id: '32', name: 'several egress policies: allow-all wins', pods: ['x/a', 'y/a'],
    steps: [
      { policies: [policy('x', 'port-80', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }] }] })], probes: [tcp(81, [['x/*', '*', false]])] },
      {
        policies: [
          policy('x', 'port-80', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }] }] }),
          policy('x', 'all', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
        ],
        probes: [tcp(81)],
      },
    ],
  },
  {
    id: '33', name: 'stop enforcing after the policy is deleted', pods: ['x/a', 'y/a'],
    steps: [
      { policies: [policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })], probes: [tcp(80, [['x/*', '*', false], ['*', 'x/*', false]])] },
      { policies: [], probes: [tcp(80)] },
    ],
  },
  {
    id: '34', name: 'egress to a CIDR', pods: ['x/a', 'y/a', 'y/b'],
    steps: one(
      [policy('x', 'cidr', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: `${ipOf('y/b')}/32` } }] }] })],
      tcp(80, [['x/a', '*', false], ['x/a', 'y/b', true]]),
    ),
  },
  { id: '35', name: 'except clause', pods: ['x/a', 'x/b', 'x/c'], steps: one([egressExceptB], tcp(80, [['x/a', 'x/b', false]])) },
  {
    id: '36', name: 'IP in both a CIDR and an except, then allowed alone', pods: ['x/a', 'x/b', 'x/c'],
    steps: [
      { policies: [egressExceptB], probes: [tcp(80, [['x/a', 'x/b', false]])] },
      {
        policies: [policy('x', 'except', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: `${ipOf('x/b')}/32` } }] }] })],
        probes: [tcp(80, [['x/a', '*', false], ['x/a', 'x/b', true]])],
      },
    ],
  },
  {
    id: '37', name: 'ingress and egress controlled independently', pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      { policies: [policy('x', 'egress-all', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{}] })], probes: [tcp(80)] },
      {
        policies: [
          policy('x', 'egress-all', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{}] }),
          policy('x', 'deny-ingress', { podSelector: pod('a'), policyTypes: ['Ingress'] }),
        ],
        probes: [tcp(80, [['*', 'x/a', false]])],
      },
    ],
  },
  {
    id: '38', name: 'SCTP is not TCP', pods: ['x/a', 'y/a'],
    steps: one(
      [denyAllIngress, policy('x', 'sctp-81', { podSelector: pod('a'), ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] })],
      tcp(81, [['*', 'x/*', false]]),
    ),
  },
  {
    id: '39', name: 'an SCTP allow still isolates', pods: ['x/a', 'y/a'],
    steps: one([policy('x', 'sctp-80', { podSelector: pod('a'), ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }] })], tcp(81, [['*', 'x/a', false]])),
  },
  {
    id: '40', name: 'a UDP-only allow does not allow TCP', pods: ['x/a', 'y/a'],
    steps: one([policy('x', 'udp-81', { podSelector: pod('a'), ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })], tcp(81, [['*', 'x/a', false]])),
  },
  {
    id: '41', name: 'default namespace label, matchLabels', pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: one([policy('x', 'name-y', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: nsNamed('y') }] }] })], tcp(80, fromYDeviations)),
  },
  {
    id: '42', name: 'default namespace label, matchExpressions, egress', pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: one(
      [policy('x', 'not-y', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: nsIn('NotIn', 'y') }] }] })],
      tcp(80, [['x/a', 'y/*', false]]),
    ),
  },
  { id: '43', name: 'default-deny-ingress over UDP', pods: ['x/a', 'x/b', 'y/a', 'y/b'], steps: denyAllCase('UDP') },
  { id: '44', name: 'only on one port, UDP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], steps: portsCase('UDP') },
  { id: '45', name: 'only from a pod in another namespace (AND), UDP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], steps: andCase('UDP') },
  { id: '46', name: 'default-deny-ingress over SCTP', pods: ['x/a', 'x/b', 'y/a', 'y/b'], steps: denyAllCase('SCTP') },
  { id: '47', name: 'only on one port, SCTP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], steps: portsCase('SCTP') },
  { id: '48', name: 'only from a pod in another namespace (AND), SCTP', pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'], steps: andCase('SCTP') },
];

function matches(pattern: string, podName: string): boolean {
  if (pattern === '*') return true;
  const [namespace, name] = pattern.split('/');
  const [podNamespace, podShort] = podName.split('/');
  return namespace === podNamespace && (name === '*' || name === podShort);
}

function expected(deviations: readonly Deviation[], from: string, to: string): boolean {
  let allowed = true;
  for (const [fromPattern, toPattern, value] of deviations) if (matches(fromPattern, from) && matches(toPattern, to)) allowed = value;
  return allowed;
}

function reachabilityFor(testCase: E2eCase, step: Step): Reachability {
  const builder = new NetworkModelBuilder();
  for (const namespace of ['x', 'y', 'z']) {
    builder.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: step.namespaceLabels?.[namespace] ?? {} } }, 'e2e');
  }
  const ports = [80, 81].flatMap((port) =>
    (['TCP', 'UDP', 'SCTP'] as const).map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol })),
  );
  for (const name of testCase.pods) {
    const [namespace, short] = name.split('/') as [string, string];
    builder.add(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: short, namespace, labels: { pod: short, ...step.podLabels?.[name] } },
        spec: { containers: [{ name: 'agnhost', image: 'agnhost', ports }] },
        status: { podIP: ipOf(name) },
      },
      'e2e',
    );
  }
  for (const object of step.policies) builder.add(object, 'e2e');
  assert.deepEqual(builder.problems, []);
  return new Reachability(builder.build());
}

describe('upstream e2e NetworkPolicy reachability (research D.3)', () => {
  it('covers the 48 cases', () => assert.equal(CASES.length, 48));
  for (const testCase of CASES) {
    it(`#${testCase.id} ${testCase.name}`, () => {
      testCase.steps.forEach((step, stepIndex) => {
        const reachability = reachabilityFor(testCase, step);
        const names = reachability.endpoints.map((endpoint) => `${endpoint.namespace}/${endpoint.name}`);
        for (const check of step.probes) {
          const wrong: string[] = [];
          names.forEach((from, fromIndex) => {
            names.forEach((to, toIndex) => {
              if (from === to) return; // loopback is never judged
              const allowed = reachability.connections(fromIndex, toIndex).has(check.protocol, check.port);
              if (allowed !== expected(check.deviations, from, to)) wrong.push(`${from} -> ${to}: ${allowed ? 'allowed' : 'denied'}`);
            });
          });
          assert.deepEqual(wrong, [], `step ${stepIndex + 1}, ${check.protocol} ${check.port}`);
        }
      });
    });
  }
});
