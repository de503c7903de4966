/**
 * The network model keeps pod endpoints grouped by (namespace, labels, container ports, host network) and answers
 * reachability once per group (src/netpol/endpoint-table.ts). These tests prove the grouping changes no answer: a
 * model built with `groupEndpoints: false` (every endpoint a group of its own, computed separately) must give exactly
 * the same endpoints, selecting policies, rule peers, connections between every pair, connections with addresses
 * outside the cluster, and reach report, over the real-world corpus and over random pods and policies.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Reachability, type ReachabilityOptions } from '../../src/netpol/engine.js';
import { INTERNET, METADATA, OUTSIDE } from '../../src/netpol/external.js';
import { NetworkModelBuilder, type NetworkModel } from '../../src/netpol/model.js';
import { renderDot, renderHtml, renderJson, renderTable } from '../../src/netpol/render.js';
import { buildReachReport } from '../../src/netpol/report.js';
import { collectInputs, loadInput } from '../../src/loader/inputs.js';
import type { InputError } from '../../src/loader/source.js';
import type { Direction } from '../../src/kube/network-policy.js';
import { needsShared, sharedPath } from '../support/paths.js';

type Json = Record<string, unknown>;
const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

/** Everything a consumer can ask a reachability, as text. */
function answers(model: NetworkModel, options: ReachabilityOptions): Json {
  const reach = new Reachability(model, options);
  const n = reach.endpoints.length;
  const all = Array.from({ length: n }, (_, index) => index);
  const endpoints = reach.endpoints.map((endpoint, index) => ({
    ...endpoint,
    ips: endpoint.ips.map((ip) => `${ip.family}:${ip.value}`),
    governed: reach.isGoverned(index),
    selecting: DIRECTIONS.map((direction) => reach.selectingPolicies(index, direction).join(',')),
    external: DIRECTIONS.map((direction) =>
      [OUTSIDE, INTERNET, METADATA].map((place) => reach.externalConnections(index, direction, place.ips).toString()).join(' | ') +
      ' / ' +
      (direction === 'Ingress' ? reach.ingressFromExternal(index) : reach.egressToExternal(index)).map((piece) => `${piece.ips.toString()} ${piece.connections.toString()}`).join('; '),
    ),
  }));
  const peers = reach.policies.flatMap((policy, policyIndex) =>
    DIRECTIONS.flatMap((direction) =>
      (direction === 'Ingress' ? policy.ingress : policy.egress).map((rule) => {
        const picked = reach.rulePeers(policyIndex, direction, rule);
        const destinations = [undefined, ...all].map((to) => reach.table.set(reach.ruleConnectionId(policyIndex, direction, rule, to)).toString());
        return `${policyIndex} ${direction} ${rule.index}: ${picked === 'all' ? 'all' : picked.join(',')} ${destinations.join(';')}`;
      }),
    ),
  );
  const matrix = all.map((from) => all.map((to) => reach.connections(from, to).toString()).join(';'));
  const report = buildReachReport(reach, { sources: all, destinations: all, external: true });
  // What `netpol reach` prints, in each of its formats.
  const printed = [renderTable(report, reach), renderJson(report, reach, []), renderDot(report), renderHtml(report, reach)];
  return { endpoints, peers, matrix, openPairs: reach.countOpenPairs(), printed };
}

function assertSameAnswers(grouped: NetworkModel, separate: NetworkModel, label: string): void {
  assert.ok(grouped.endpoints.groups.length <= separate.endpoints.groups.length);
  for (const options of [{}, { hostNetwork: 'as-pods', ipBlockMatchesPods: false }] as ReachabilityOptions[]) {
    assert.deepEqual(answers(grouped, options), answers(separate, options), `${label} ${JSON.stringify(options)}`);
  }
}

/** The same objects into a grouped and an ungrouped builder. */
function buildBoth(objects: readonly { object: Json; file: string }[]): { grouped: NetworkModel; separate: NetworkModel } {
  const grouped = new NetworkModelBuilder();
  const separate = new NetworkModelBuilder(undefined, undefined, { groupEndpoints: false });
  for (const { object, file } of objects) {
    grouped.add(object, file);
    separate.add(object, file);
  }
  return { grouped: grouped.build(), separate: separate.build() };
}

describe('grouped endpoints answer as ungrouped ones', () => {
  it('over the real-world and netpol-analyzer corpus, project by project', { skip: needsShared }, async () => {
    const projects = [
      ...readdirSync(sharedPath('corpus', 'real-world')).map((name) => sharedPath('corpus', 'real-world', name)),
      ...readdirSync(sharedPath('corpus', 'netpol', 'netpol-analyzer', 'tests')).map((name) => sharedPath('corpus', 'netpol', 'netpol-analyzer', 'tests', name)),
    ];
    let endpoints = 0;
    let groups = 0;
    let shared = 0;
    for (const project of projects) {
      const errors: InputError[] = [];
      const objects: { object: Json; file: string }[] = [];
      for (const input of await collectInputs([project], errors)) {
        for (const resource of (await loadInput(input, errors)) ?? []) objects.push({ object: resource.object, file: resource.document.file });
      }
      const { grouped, separate } = buildBoth(objects);
      assertSameAnswers(grouped, separate, project);
      endpoints += grouped.endpoints.length;
      groups += grouped.endpoints.groups.length;
      if (grouped.endpoints.groups.length < grouped.endpoints.length) shared++;
    }
    // Exact figures of the corpus: the comparison ran over every project, and grouping did merge endpoints.
    assert.deepEqual({ projects: projects.length, endpoints, groups, shared }, { projects: 317, endpoints: 1614, groups: 1570, shared: 8 });
  });

  it('over random pods, workloads and policies (fast-check)', () => {
    const label = fc.record({ app: fc.constantFrom('web', 'api', 'db'), tier: fc.constantFrom('front', 'back') }, { requiredKeys: [] });
    const port = fc.constantFrom(
      { name: 'http', containerPort: 8080 },
      { name: 'http', containerPort: 9090 },
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { containerPort: 443 },
    );
    const pod = fc.record({
      namespace: fc.constantFrom('a', 'b'),
      labels: label,
      ports: fc.array(port, { maxLength: 2 }),
      hostNetwork: fc.boolean(),
      owner: fc.option(fc.constantFrom('rs-1', 'rs-2'), { nil: undefined }),
      ip: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      template: fc.boolean(),
    });
    const selector = fc.oneof(
      fc.constant({}),
      label.map((matchLabels) => ({ matchLabels })),
      fc.record({ matchExpressions: fc.tuple(fc.constantFrom('app', 'tier'), fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), fc.constantFrom(['web'], ['api', 'db'], ['front'])).map(([key, operator, values]) => [{ key, operator, ...(operator.endsWith('Exist') || operator === 'Exists' ? {} : { values }) }]) }),
    );
    const peer = fc.oneof(
      fc.record({ podSelector: selector }, { requiredKeys: [] }),
      fc.record({ podSelector: selector, namespaceSelector: fc.constantFrom({}, { matchLabels: { team: 'one' } }) }),
      fc.constant({ ipBlock: { cidr: '10.0.0.0/29', except: ['10.0.0.4/31'] } }),
    );
    const rulePort = fc.constantFrom({ port: 'http' }, { port: 8080 }, { port: 'dns', protocol: 'UDP' }, { port: 9000, endPort: 9100 }, { protocol: 'UDP' });
    const rule = fc.record({ peers: fc.array(peer, { maxLength: 2 }), ports: fc.array(rulePort, { maxLength: 2 }) }, { requiredKeys: [] });
    const policy = fc.record({
      namespace: fc.constantFrom('a', 'b'),
      podSelector: selector,
      types: fc.subarray(['Ingress', 'Egress'], { minLength: 1 }),
      ingress: fc.array(rule, { maxLength: 2 }),
      egress: fc.array(rule, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(pod, { minLength: 1, maxLength: 14 }), fc.array(policy, { maxLength: 3 }), (pods, policies) => {
        const objects: { object: Json; file: string }[] = [{ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { team: 'one' } } }, file: 'ns.yaml' }];
        pods.forEach((spec, index) => {
          const podSpec = { containers: [{ name: 'c', image: 'x', ports: spec.ports }], ...(spec.hostNetwork ? { hostNetwork: true } : {}) };
          const metadata = { name: `p${index}`, namespace: spec.namespace, labels: spec.labels };
          const object = spec.template
            ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { template: { metadata: { labels: spec.labels }, spec: podSpec } } }
            : {
                apiVersion: 'v1',
                kind: 'Pod',
                metadata: { ...metadata, ...(spec.owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: spec.owner, controller: true }] } : {}) },
                spec: podSpec,
                ...(spec.ip ? { status: { podIP: `10.0.0.${spec.ip}` } } : {}),
              };
          objects.push({ object, file: `pod-${index % 3}.yaml` });
        });
        policies.forEach((spec, index) => {
          const rules = (list: typeof spec.ingress, side: 'from' | 'to') => list.map((entry) => ({ ...(entry.peers ? { [side]: entry.peers } : {}), ...(entry.ports ? { ports: entry.ports } : {}) }));
          objects.push({
            object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${index}`, namespace: spec.namespace }, spec: { podSelector: spec.podSelector, policyTypes: spec.types, ingress: rules(spec.ingress, 'from'), egress: rules(spec.egress, 'to') } },
            file: 'policies.yaml',
          });
        });
        const { grouped, separate } = buildBoth(objects);
        assertSameAnswers(grouped, separate, 'random');
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
