/**
 * `netpol generate` proven by the engine: on Google's microservices-demo the generated policies, applied beside
 * the manifests, allow exactly the inferred flows (named ports resolved on the destination) and nothing else,
 * pair by pair and towards and from addresses outside the cluster.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionSet } from '../../src/netpol/connections.js';
import { Reachability } from '../../src/netpol/engine.js';
import { flowsFromHubble, type FlowProblem } from '../../src/netpol/generate-flows.js';
import { generatePolicies } from '../../src/netpol/generate.js';
import { OUTSIDE } from '../../src/netpol/external.js';
import type { NeededFlow } from '../../src/netpol/generate-infer.js';
import { loadNetwork } from '../../src/netpol/load.js';
import { endpointName, NetworkModelBuilder, type NetworkModel } from '../../src/netpol/model.js';
import { portConnections } from '../../src/netpol/policy.js';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';
import { needsShared, sharedPath } from '../support/paths.js';

const DEMO = sharedPath('corpus', 'real-world', 'microservices-demo', 'release', 'kubernetes-manifests.yaml');

function withPolicies(resources: readonly LoadedResource[], generatedYaml: string): NetworkModel {
  const builder = new NetworkModelBuilder();
  for (const resource of resources) builder.add(resource.object, resource.document.file);
  const errors: InputError[] = [];
  for (const resource of loadResources('generated.yaml', Buffer.from(generatedYaml), errors, false)) builder.add(resource.object, 'generated.yaml');
  assert.deepEqual(errors, []);
  assert.deepEqual(builder.problems, []);
  return builder.build();
}

/** Per ordered pair, what the flows need, named ports resolved on the destination. */
function expectedPairs(model: NetworkModel, flows: readonly NeededFlow[]): Map<string, ConnectionSet> {
  const expected = new Map<string, ConnectionSet>();
  for (const flow of flows) {
    if (typeof flow.from !== 'number' || typeof flow.to !== 'number') continue;
    const key = `${flow.from}>${flow.to}`;
    const destination = model.endpoints.at(flow.to);
    const needed = portConnections({ protocol: flow.protocol, port: flow.port, endPort: undefined }, destination?.ports);
    expected.set(key, (expected.get(key) ?? ConnectionSet.none).union(needed));
  }
  return expected;
}

describe('netpol generate on microservices-demo', { skip: needsShared }, () => {
  it('allows every inferred flow and denies every other pair and port', async () => {
    const errors: InputError[] = [];
    const loaded = await loadNetwork([DEMO], errors);
    assert.deepEqual(errors, []);
    const generated = generatePolicies(loaded.model, loaded.resources);
    assert.deepEqual(generated.warnings, []);
    const model = withPolicies(loaded.resources, generated.yaml);
    const reachability = new Reachability(model);
    const names = model.endpoints.map((endpoint) => endpointName(endpoint));
    const flowNames = new Set(
      generated.flows.map((flow) => `${typeof flow.from === 'number' ? names[flow.from] : flow.from} -> ${typeof flow.to === 'number' ? names[flow.to] : flow.to.address}`),
    );
    // The flows the demo's own architecture diagram shows, found from env values like "cartservice:7070".
    for (const flow of [
      'default/frontend -> default/cartservice',
      'default/frontend -> default/productcatalogservice',
      'default/frontend -> default/currencyservice',
      'default/frontend -> default/recommendationservice',
      'default/frontend -> default/shippingservice',
      'default/frontend -> default/checkoutservice',
      'default/frontend -> default/adservice',
      'default/checkoutservice -> default/paymentservice',
      'default/checkoutservice -> default/emailservice',
      'default/checkoutservice -> default/cartservice',
      'default/recommendationservice -> default/productcatalogservice',
      'default/cartservice -> default/redis-cart',
      'default/loadgenerator -> default/frontend',
      'outside -> default/frontend',
    ]) {
      assert.ok(flowNames.has(flow), `inferred ${flow}`);
    }
    const expected = expectedPairs(model, generated.flows);
    const wrong: string[] = [];
    model.endpoints.forEach((_, from) => {
      model.endpoints.forEach((__, to) => {
        if (from === to) return;
        const actual = reachability.connections(from, to);
        const wanted = expected.get(`${from}>${to}`) ?? ConnectionSet.none;
        if (!actual.equals(wanted)) wrong.push(`${names[from]} -> ${names[to]}: allowed ${actual.toString()}, needed ${wanted.toString()}`);
      });
      const egress = reachability.egressToExternal(from).filter((piece) => !piece.connections.isEmpty());
      if (egress.length > 0) wrong.push(`${names[from]} may send outside the cluster: ${egress.map((piece) => piece.connections.toString()).join('; ')}`);
      const outsideWanted = generated.flows
        .filter((flow) => flow.from === 'outside' && flow.to === from)
        .reduce((set, flow) => set.union(portConnections({ protocol: flow.protocol, port: flow.port, endPort: undefined }, model.endpoints.at(from)?.ports)), ConnectionSet.none);
      const toEvery = reachability.externalConnections(from, 'Ingress', OUTSIDE.ips);
      const toSome = reachability.ingressFromExternal(from).reduce((set, piece) => set.union(piece.connections), ConnectionSet.none);
      if (!toEvery.equals(outsideWanted) || !toSome.equals(outsideWanted)) {
        wrong.push(`${names[from]} accepts ${toSome.toString()} from outside, needed ${outsideWanted.toString()}`);
      }
    });
    assert.deepEqual(wrong, []);
    assert.equal(reachability.externalConnections(names.indexOf('default/frontend'), 'Ingress', OUTSIDE.ips).toString(), 'TCP 8080');
  });

  it('writes a comment above every rule, and YAML that loads back to the same policies', async () => {
    const loaded = await loadNetwork([DEMO], []);
    const generated = generatePolicies(loaded.model, loaded.resources);
    const lines = generated.yaml.split('\n');
    lines.forEach((line, index) => {
      if (/^ {2}- (from|to|ports):/.test(line)) assert.match(lines[index - 1] ?? '', /^ {2}# /, `line ${index + 1} has its reason above it`);
    });
    const reloaded = [...loadResources('generated.yaml', Buffer.from(generated.yaml), [], false)].map((resource) => resource.object);
    assert.deepEqual(reloaded, generated.policies);
  });
});

describe('--from-flows (Hubble JSON)', () => {
  const model = (() => {
    const builder = new NetworkModelBuilder();
    for (const [name, app] of [['web', 'web'], ['api', 'api']]) {
      builder.add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' }, spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }, 'm.yaml');
    }
    return builder.build();
  })();

  it('reads wrapped and bare flows, skips replies and drops, maps ends by labels or pod name', () => {
    const text = [
      JSON.stringify({ flow: { verdict: 'FORWARDED', traffic_direction: 'EGRESS', source: { namespace: 'shop', labels: ['k8s:app=web', 'k8s:io.kubernetes.pod.namespace=shop'], pod_name: 'web-1' }, destination: { namespace: 'shop', labels: ['k8s:app=api'] }, l4: { TCP: { destination_port: 8080 } } } }),
      JSON.stringify({ verdict: 'FORWARDED', source: { namespace: 'shop', pod_name: 'api-5d9c7-abcde' }, destination: {}, IP: { destination: '203.0.113.7' }, l4: { UDP: { destination_port: 123 } } }),
      JSON.stringify({ verdict: 'DROPPED', source: { namespace: 'shop', labels: ['k8s:app=api'] }, destination: { namespace: 'shop', labels: ['k8s:app=web'] }, l4: { TCP: { destination_port: 22 } } }),
      JSON.stringify({ verdict: 'FORWARDED', is_reply: true, source: { namespace: 'shop', labels: ['k8s:app=api'] }, destination: { namespace: 'shop', labels: ['k8s:app=web'] }, l4: { TCP: { destination_port: 40000 } } }),
      'not json',
    ].join('\n');
    const problems: FlowProblem[] = [];
    const flows = flowsFromHubble(text, model.endpoints, problems);
    assert.deepEqual(flows.map((flow) => [flow.from, typeof flow.to === 'number' ? flow.to : flow.to.address, flow.protocol, flow.port]), [
      [1, 0, 'TCP', 8080],
      [0, '203.0.113.7', 'UDP', 123],
    ]);
    assert.deepEqual(problems, [{ line: 5, message: 'not a JSON object' }]);
  });

  it('a line that is JSON but not an object is a problem at its line, as a line that is not JSON is', () => {
    const problems: FlowProblem[] = [];
    assert.deepEqual(flowsFromHubble(['5', 'null', '"flow"', '[]', '{"lost_events": {}}'].join('\n'), model.endpoints, problems), []);
    assert.deepEqual(problems.map((problem) => problem.line), [1, 2, 3, 4]);
  });

  it('policies from observed flows allow those flows and nothing else', () => {
    const flows: NeededFlow[] = [{ from: 1, to: 0, protocol: 'TCP', port: 8080, reason: 'observed' }];
    const generated = generatePolicies(model, [], { infer: false, observed: flows });
    const builder = new NetworkModelBuilder();
    builder.add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }, 'm');
    builder.add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }, 'm');
    for (const policy of generated.policies) builder.add(policy, 'generated');
    const reachability = new Reachability(builder.build());
    // Endpoints sort by namespace and name: api is 0, web is 1.
    assert.equal(reachability.connections(1, 0).toString(), 'TCP 8080');
    assert.equal(reachability.connections(0, 1).toString(), 'No Connections');
  });
});
