/**
 * `kubeharden serve`'s incremental judgement without an API server: after random changes to a Deployment, a
 * ServiceAccount or a NetworkPolicy, the live cluster's findings and scores equal a live cluster that judged the
 * same objects from scratch, and each group of a namespace's inventory controls (network; workloads) runs again
 * only when a change moved what its part of the inventory reads (the read log of `namespaceInput`,
 * src/serve/inventory-scope.ts). A field a part reads but the projection missed would leave a stale result here,
 * and the comparison would fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LISTED_KINDS, type ListedKind } from '../../src/cluster/resource-kinds.js';
import { LiveCluster } from '../../src/serve/live-cluster.js';
import { findingLines, liveScanOptions } from '../support/serve-changes.js';
import { scoreSummary } from '../../src/serve/score-summary.js';

const KINDS = new Map(LISTED_KINDS.map((kind) => [kind.kind, kind]));
const kindOf = (object: Record<string, unknown>) => KINDS.get(object['kind'] as string) as ListedKind;

type Json = Record<string, unknown>;

function deployment(name: string, change: Partial<Change> = {}): Json {
  const container: Json = { name: 'app', image: change.image ?? 'registry.example.com/app:1.0', ports: [{ containerPort: change.port ?? 8080 }] };
  if (change.privileged !== undefined) container['securityContext'] = { privileged: change.privileged };
  if (change.memory !== undefined) container['resources'] = { limits: { memory: change.memory } };
  const spec: Json = { containers: [container] };
  if (change.automount !== undefined) spec['automountServiceAccountToken'] = change.automount;
  if (change.serviceAccount !== undefined) spec['serviceAccountName'] = change.serviceAccount;
  if (change.hostNetwork) spec['hostNetwork'] = true;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: { app: name }, ...(change.note === undefined ? {} : { annotations: { note: change.note } }) },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...(change.tier === undefined ? {} : { tier: change.tier }) } }, spec } },
  };
}

interface Change {
  readonly privileged: boolean;
  readonly memory: string;
  readonly note: string;
  readonly automount: boolean;
  readonly serviceAccount: string;
  readonly tier: string;
  readonly image: string;
  readonly port: number;
  readonly hostNetwork: boolean;
}

const BASE: Json[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'red' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'shop' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] } },
  deployment('web'),
  deployment('db', { automount: false }),
  { ...deployment('cache'), metadata: { name: 'cache', namespace: 'other', labels: { app: 'cache' } } },
];

/** A change to one object of `shop`: most fields of a Deployment, or the ServiceAccount, or the NetworkPolicy. */
const changeArbitrary: fc.Arbitrary<Json> = fc.oneof(
  fc
    .record(
      {
        name: fc.constantFrom('web', 'db'),
        privileged: fc.boolean(),
        memory: fc.constantFrom('64Mi', '1Gi'),
        note: fc.constantFrom('a', 'b'),
        automount: fc.boolean(),
        serviceAccount: fc.constantFrom('builder', 'ghost'),
        tier: fc.constantFrom('front', 'back'),
        image: fc.constantFrom('registry.example.com/app:2.0', 'kubernetesui/dashboard:v2.7.0'),
        port: fc.constantFrom(8080, 9090),
        hostNetwork: fc.boolean(),
      },
      { requiredKeys: ['name'] },
    )
    .map(({ name, ...change }) => deployment(name, change)),
  fc.boolean().map((automount) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'shop', annotations: { note: String(automount) } }, automountServiceAccountToken: automount })),
  fc.constantFrom('web', 'db').map((app) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app } }, ingress: [{ from: [{ namespaceSelector: {} }] }] } })),
);

let version = 0;
function stamped(object: Json): Json {
  return { ...object, metadata: { ...(object['metadata'] as Json), resourceVersion: String(++version) } };
}

function started(objects: readonly Json[]): LiveCluster {
  const live = new LiveCluster({ scanOptions: liveScanOptions('v1.37.2'), serverName: 'https://test' });
  for (const object of objects) live.upsert(kindOf(object), stamped(object));
  live.start();
  live.settle();
  return live;
}

function key(object: Json): string {
  return `${object['kind']}/${(object['metadata'] as Json)['name']}/${(object['metadata'] as Json)['namespace']}`;
}

function state(live: LiveCluster): { lines: string[]; scores: string } {
  return { lines: findingLines(live.findings()), scores: JSON.stringify(scoreSummary(live.scores())) };
}

describe('serve: incremental judgement equals judging from scratch', () => {
  it('after random changes, with each group of namespace controls run again only when its part of the inventory moved', () => {
    const live = started(BASE);
    const current = new Map(BASE.map((object) => [`${object['kind']}/${(object['metadata'] as Json)['name']}/${(object['metadata'] as Json)['namespace']}`, object]));
    const skipped = { network: 0, workloads: 0 };
    const rerun = { network: 0, workloads: 0 };
    fc.assert(
      fc.property(fc.array(changeArbitrary, { minLength: 1, maxLength: 4 }), (changes) => {
        for (const object of changes) {
          current.set(`${object['kind']}/${(object['metadata'] as Json)['name']}/${(object['metadata'] as Json)['namespace']}`, object);
          live.upsert(kindOf(object), stamped(object));
        }
        const { stats } = live.settle();
        for (const facet of ['network', 'workloads'] as const) {
          if (stats.groups.includes(`namespace:shop/${facet}`)) rerun[facet]++;
          else skipped[facet]++;
        }
        assert.deepEqual(state(live), state(started([...current.values()])));
      }),
      { numRuns: 150, seed: 20261204 },
    );
    // Both ways were taken for both groups: the property compared results kept and results made again.
    for (const facet of ['network', 'workloads'] as const) assert.ok(skipped[facet] >= 10 && rerun[facet] >= 10, `${facet}: kept ${skipped[facet]}, run again ${rerun[facet]}`);
  });

  it('after objects are removed and added again, findings and scores equal a judgement from scratch', () => {
    // The scores are kept as objects are judged and removed (src/serve/score-tally.ts): a removal that left its
    // counts behind, or a re-added object counted twice, would show here.
    const live = started(BASE);
    const current = new Map(BASE.map((object) => [key(object), object]));
    const steps: { remove?: Json; add?: Json }[] = [
      { remove: BASE[6]! },
      { add: deployment('db', { privileged: true, automount: true }) },
      { remove: BASE[2]! },
      { remove: BASE[4]!, add: { ...deployment('web', { image: 'kubernetesui/dashboard:v2.7.0', serviceAccount: 'builder' }) } },
      { add: BASE[2]! },
      { remove: BASE[5]! },
      { add: BASE[4]! },
    ];
    for (const step of steps) {
      if (step.remove) {
        current.delete(key(step.remove));
        live.remove(kindOf(step.remove), step.remove);
      }
      if (step.add) {
        current.set(key(step.add), step.add);
        live.upsert(kindOf(step.add), stamped(step.add));
      }
      live.settle();
      assert.deepEqual(state(live), state(started([...current.values()])));
    }
  });

  it('a namespace whose objects are all removed leaves no group result behind', () => {
    // Namespaces come and go all day on a CI cluster: the results of a namespace that is gone add nothing to the
    // findings or scores, and must not be held for the agent's lifetime.
    const live = started(BASE);
    const held = live.heldGroups();
    const current = new Map(BASE.map((object) => [key(object), object]));
    for (let round = 0; round < 3; round++) {
      const objects: Json[] = [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ci-${round}` } },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: `ci-${round}` } },
        { ...deployment('job'), metadata: { name: 'job', namespace: `ci-${round}` } },
      ];
      for (const object of objects) live.upsert(kindOf(object), stamped(object));
      assert.deepEqual(live.settle().stats.groups.filter((group) => group.startsWith(`namespace:ci-${round}/`)), [`namespace:ci-${round}/network`, `namespace:ci-${round}/workloads`]);
      assert.ok(live.heldGroups().some((group) => group.startsWith(`namespace:ci-${round}/`)));
      for (const object of objects) live.remove(kindOf(object), object);
      live.settle();
      assert.deepEqual(live.heldGroups(), held);
      assert.deepEqual(state(live), state(started([...current.values()])));
    }
  });

  it('a namespace inventory rebuilt from what its unchanged objects told the last one equals a judgement from scratch', () => {
    // Unchanged objects join the rebuilt inventory through what `Inventory.add` kept of them (its KnownFacts): a
    // mesh, a CNI, a PeerAuthentication, Services with and without a selector, a dashboard, ports. A fact kept wrong,
    // or changed by the inventory that first held it, would show once the namespace's controls run again.
    const mesh: Json[] = [
      { apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'PERMISSIVE' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'shop' }, data: { 'enable-wireguard': 'false' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'shop' }, spec: { ports: [{ port: 1 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'proxy', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'proxy' }, ports: [{ port: 443 }] } },
      {
        ...deployment('proxy', { image: 'kubernetesui/dashboard:v2.7.0', port: 8443 }),
        spec: { selector: { matchLabels: { app: 'proxy' } }, template: { metadata: { labels: { app: 'proxy' }, annotations: { 'sidecar.istio.io/inject': 'true' } }, spec: { serviceAccount: 'builder', containers: [{ name: 'app', image: 'kubernetesui/dashboard:v2.7.0', args: ['--enable-skip-login'] }, { name: 'istio-proxy', image: 'istio/proxyv2', ports: [{ containerPort: 15090, name: 'metrics' }] }] } } },
      },
    ];
    const objects = [...BASE, ...mesh];
    const live = started(objects);
    const current = new Map(objects.map((object) => [key(object), object]));
    const steps: { change: Partial<Change>; groups: string[] }[] = [
      { change: { automount: false }, groups: ['namespace:shop/workloads'] },
      // A label, and token mounting back to its default: both groups.
      { change: { tier: 'front' }, groups: ['namespace:shop/network', 'namespace:shop/workloads'] },
      { change: { automount: true, port: 9090 }, groups: ['namespace:shop/network', 'namespace:shop/workloads'] },
    ];
    for (const { change, groups } of steps) {
      const web = deployment('web', change);
      current.set(key(web), web);
      live.upsert(kindOf(web), stamped(web));
      assert.deepEqual(live.settle().stats.groups.filter((group) => group.startsWith('namespace:')), groups);
      assert.deepEqual(state(live), state(started([...current.values()])));
    }
  });

  const cases: { name: string; change: Partial<Change>; runs: ('network' | 'workloads')[] }[] = [
    { name: 'privileged turned on', change: { privileged: true }, runs: [] },
    { name: 'a memory limit', change: { memory: '1Gi' }, runs: [] },
    { name: 'an annotation of the Deployment', change: { note: 'sent at 12:00' }, runs: [] },
    { name: 'token mounting turned off', change: { automount: false }, runs: ['workloads'] },
    { name: 'another service account', change: { serviceAccount: 'builder' }, runs: ['workloads'] },
    // The workloads part reads the pod labels of an add-on alone (the next test).
    { name: 'a pod label', change: { tier: 'front' }, runs: ['network'] },
    { name: 'a container port', change: { port: 9090 }, runs: ['network'] },
    { name: 'the Kubernetes dashboard image', change: { image: 'kubernetesui/dashboard:v2.7.0' }, runs: ['workloads'] },
  ];
  for (const { name, change, runs } of cases) {
    it(`${name}: the namespace's inventory controls ${runs.length === 0 ? 'keep their results' : `run again: ${runs.join(' and ')}`}`, () => {
      const live = started(BASE);
      live.upsert(kindOf(BASE[5]!), stamped(deployment('web', change)));
      assert.deepEqual(live.settle().stats.groups.filter((group) => group.startsWith('namespace:')), runs.map((facet) => `namespace:shop/${facet}`));
    });
  }

  it("a pod label of an add-on runs the workloads group too: a Service exposes the add-on by it", () => {
    const dashboard = (app: string): Json => {
      const object = deployment('dashboard', { image: 'kubernetesui/dashboard:v2.7.0' });
      const spec = object['spec'] as { template: { metadata: { labels: Json } } };
      spec.template.metadata.labels = { app };
      return object;
    };
    const service: Json = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dashboard', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'dashboard' }, ports: [{ port: 443 }] } };
    const live = started([...BASE, service, dashboard('dashboard')]);
    const exposedBefore = state(live).lines.filter((line) => line.includes('ADDON-NO-DASHBOARD') && line.includes('exposed outside the cluster through Service dashboard'));
    const relabelled = dashboard('unexposed');
    live.upsert(kindOf(relabelled), stamped(relabelled));
    assert.deepEqual(live.settle().stats.groups.filter((group) => group.startsWith('namespace:')), ['namespace:shop/network', 'namespace:shop/workloads']);
    assert.deepEqual(state(live), state(started([...BASE, service, relabelled])));
    // The label decided the finding: the Service no longer reaches the dashboard.
    assert.equal(exposedBefore.length, 1);
    assert.equal(state(live).lines.filter((line) => line.includes('ADDON-NO-DASHBOARD') && line.includes('exposed outside the cluster through Service dashboard')).length, 0);
  });
});
