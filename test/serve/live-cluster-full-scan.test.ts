/**
 * `kubeharden serve`'s incremental judgement against a fresh full scan, without an API server: after random changes
 * to the objects every namespace-local control reads (Namespaces and their labels and ignore annotations, workloads
 * with add-on images, service accounts, token mounting, labels, ports and host network, ServiceAccounts, Services,
 * Ingresses, LimitRanges, ResourceQuotas, NetworkPolicies, Cilium policies, a CiliumClusterwideNetworkPolicy that
 * takes their locality away), the live cluster's findings and scores equal `scanResources` over one whole
 * inventory of the same objects, listed as `kubeharden cluster` lists them. test/serve/live-cluster.test.ts compares
 * with a live cluster judged from scratch, which shares the namespace groups' parts of the inventory
 * (engine/inventory.ts `InventoryFacet`): a part that left out something its controls read would agree there, and
 * fail here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { excludedControls, LiveObject, mergeExcluded } from '../../src/cluster/cluster-scan.js';
import { LISTED_KINDS, liveObjectFile, type ListedKind } from '../../src/cluster/resource-kinds.js';
import type { LoadedResource } from '../../src/loader/source.js';
import { scanResources } from '../../src/scan/scan.js';
import { LiveCluster } from '../../src/serve/live-cluster.js';
import { scoreSummary } from '../../src/serve/score-summary.js';
import { findingLines, liveScanOptions } from '../support/serve-changes.js';

type Json = Record<string, unknown>;

const GIT_VERSION = 'v1.37.2';
const KIND_INDEX = new Map(LISTED_KINDS.map((kind, index) => [kind.kind, index]));
const kindOf = (object: Json) => LISTED_KINDS[KIND_INDEX.get(object['kind'] as string) as number] as ListedKind;
const NAMESPACES = ['shop', 'tools'] as const;
const IMAGES = ['registry.example.com/app:1.0', 'kubernetesui/dashboard:v1.10.0', 'gcr.io/kubernetes-helm/tiller:v2.16.12'] as const;

const namespace = fc.constantFrom(...NAMESPACES);
const app = fc.constantFrom('web', 'db');
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

interface Change {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /** null: the object of that kind and name is removed. */
  readonly object: Json | null;
}

/** Objects the namespace-local controls read, each in a few shapes. */
const objectArbitrary: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ name: namespace, team: maybe(fc.constantFrom('red', 'blue')), ignore: fc.boolean() }).map(({ name, team, ignore }) => ({
    kind: 'Namespace',
    namespace: undefined,
    name,
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(team ? { labels: { team } } : {}), ...(ignore ? { annotations: { 'kubeharden.io/ignore': 'RES-LIMITRANGE: a test accepts it' } } : {}) } },
  })),
  fc
    .record({
      namespace,
      name: fc.constantFrom('a', 'b'),
      kind: fc.constantFrom('Deployment', 'Pod'),
      app,
      tier: maybe(fc.constantFrom('front', 'back')),
      image: fc.constantFrom(...IMAGES),
      skipLogin: fc.boolean(),
      automount: maybe(fc.boolean()),
      serviceAccount: maybe(fc.constantFrom('builder', 'ghost')),
      deprecatedField: fc.boolean(),
      port: fc.constantFrom(8080, 9090),
      hostNetwork: fc.boolean(),
    })
    .map((change) => {
      const spec: Json = {
        containers: [{ name: 'app', image: change.image, ...(change.skipLogin ? { args: ['--enable-skip-login'] } : {}), ports: [{ containerPort: change.port }] }],
        ...(change.automount === undefined ? {} : { automountServiceAccountToken: change.automount }),
        ...(change.serviceAccount === undefined ? {} : { [change.deprecatedField ? 'serviceAccount' : 'serviceAccountName']: change.serviceAccount }),
        ...(change.hostNetwork ? { hostNetwork: true } : {}),
      };
      const labels = { app: change.app, ...(change.tier ? { tier: change.tier } : {}) };
      const metadata = { name: change.name, namespace: change.namespace };
      const object =
        change.kind === 'Pod'
          ? { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, labels }, spec }
          : { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } } };
      return { kind: change.kind, namespace: change.namespace, name: change.name, object };
    }),
  fc.record({ namespace, automount: maybe(fc.boolean()) }).map(({ namespace, automount }) => ({
    kind: 'ServiceAccount',
    namespace,
    name: 'builder',
    object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }) },
  })),
  fc.record({ namespace, app: maybe(app), type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer') }).map(({ namespace, app, type }) => ({
    kind: 'Service',
    namespace,
    name: 'front',
    object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace }, spec: { type, ...(app ? { selector: { app } } : {}), ports: [{ port: 443 }] } },
  })),
  fc.record({ namespace, service: fc.constantFrom('front', 'elsewhere') }).map(({ namespace, service }) => ({
    kind: 'Ingress',
    namespace,
    name: 'entry',
    object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'entry', namespace }, spec: { defaultBackend: { service: { name: service, port: { number: 443 } } } } },
  })),
  fc.record({ namespace, kind: fc.constantFrom('LimitRange', 'ResourceQuota') }).map(({ namespace, kind }) => ({
    kind,
    namespace,
    name: 'bounds',
    object: { apiVersion: 'v1', kind, metadata: { name: 'bounds', namespace }, spec: kind === 'LimitRange' ? { limits: [{ type: 'Container', default: { memory: '256Mi' } }] } : { hard: { pods: '10' } } },
  })),
  fc
    .record({
      namespace,
      select: maybe(app),
      deny: fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
      from: fc.constantFrom('any-namespace', 'team', 'none'),
      internet: fc.boolean(),
    })
    .map(({ namespace, select, deny, from, internet }) => ({
      kind: 'NetworkPolicy',
      namespace,
      name: 'policy',
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'policy', namespace },
        spec: {
          podSelector: select ? { matchLabels: { app: select } } : {},
          policyTypes: deny,
          ...(from === 'none' ? {} : { ingress: [{ from: [{ namespaceSelector: from === 'team' ? { matchLabels: { team: 'red' } } : {} }] }] }),
          ...(internet ? { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] } : {}),
        },
      },
    })),
  fc.record({ namespace, app: maybe(fc.constantFrom('web', 'nothing-here')) }).map(({ namespace, app }) => ({
    kind: 'CiliumNetworkPolicy',
    namespace,
    name: 'cilium',
    object: { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'cilium', namespace }, spec: { endpointSelector: app ? { matchLabels: { app } } : {}, ingress: [{ fromEndpoints: [{}] }] } },
  })),
  // Made one time in four (removed otherwise): most batches judge the namespace groups, and some take them over.
  {
    weight: 1,
    arbitrary: fc.nat(3).map((roll) => roll === 0).map((present) => ({
      kind: 'CiliumClusterwideNetworkPolicy',
      namespace: undefined,
      name: 'everywhere',
      object: present ? { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'everywhere' }, spec: { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{}] }] } } : null,
    })),
  },
);

/** An upsert, or (one time in four) the removal of the object of that kind and name. */
const changeArbitrary = fc.tuple(objectArbitrary, fc.nat(3)).map(([change, roll]) => (roll === 0 ? { ...change, object: null } : change));

const BASE: Json[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'red' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: IMAGES[0] }] } } } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'tools' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: IMAGES[1] }] } } } },
];

let version = 0;
function stamped(object: Json): Json {
  return { ...object, metadata: { ...(object['metadata'] as Json), resourceVersion: String(++version) } };
}

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function objectKey(object: Json): string {
  const metadata = object['metadata'] as Json;
  return keyOf(object['kind'] as string, metadata['namespace'] as string | undefined, metadata['name'] as string);
}

/** The objects as `kubeharden cluster` lists them: kinds in LISTED_KINDS order, each sorted as etcd keys are. */
function listed(objects: Iterable<Json>): LoadedResource[] {
  const order = (object: Json) => {
    const metadata = object['metadata'] as Json;
    return metadata['namespace'] === undefined ? (metadata['name'] as string) : `${metadata['namespace'] as string}/${metadata['name'] as string}`;
  };
  return [...objects]
    .sort((a, b) => (KIND_INDEX.get(a['kind'] as string) as number) - (KIND_INDEX.get(b['kind'] as string) as number) || (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .map((object) => {
      const metadata = object['metadata'] as Json;
      return { object, prefix: [], document: new LiveObject(liveObjectFile(kindOf(object), metadata['namespace'] as string | undefined, metadata['name'] as string)) };
    });
}

/**
 * A fresh full scan of the objects over one whole inventory, with the options `kubeharden cluster` gives it when
 * the kinds `unreadable` could not be listed (then the scan did not see the whole cluster: no cluster view).
 */
async function fullScan(objects: Iterable<Json>, unreadable: ReadonlySet<string>): Promise<{ lines: string[]; scores: string }> {
  const kinds = new Set(LISTED_KINDS.map((kind) => kind.kind).filter((kind) => !unreadable.has(kind)));
  const options = { excludeNamespaces: [], probeAnonymous: false, kubeletConfigz: false };
  async function* batches() {
    yield listed(objects);
  }
  const result = await scanResources(batches(), [], {
    ...liveScanOptions(GIT_VERSION),
    components: { extra: [] },
    excluded: mergeExcluded(undefined, excludedControls(kinds, unreadable), options),
    searchedIn: 'in the cluster',
    ...(unreadable.size === 0 ? { clusterView: { namespace: undefined, excluded: [] } } : {}),
  }, 1);
  return { lines: findingLines(result.findings), scores: JSON.stringify(scoreSummary(result.scores)) };
}

function state(live: LiveCluster): { lines: string[]; scores: string } {
  return { lines: findingLines(live.findings()), scores: JSON.stringify(scoreSummary(live.scores())) };
}

describe('serve: incremental judgement equals a fresh full scan over a whole inventory', () => {
  // Every kind listed (the scan saw the whole cluster), or Secrets denied (what is missing may exist elsewhere).
  for (const unreadable of [new Set<string>(), new Set(['Secret'])]) {
    it(`after random changes to what the namespace-local controls read${unreadable.size === 0 ? '' : `, with ${[...unreadable].join(', ')} unreadable`}`, async () => {
      const live = new LiveCluster({ scanOptions: liveScanOptions(GIT_VERSION), serverName: 'https://test' });
      for (const kind of unreadable) live.unavailable.set(kind, { status: 'denied', reason: 'forbidden' });
      const current = new Map<string, Json>();
      for (const object of BASE.map(stamped)) {
        current.set(objectKey(object), object);
        live.upsert(kindOf(object), object);
      }
      live.start();
      live.settle();
      assert.deepEqual(state(live), await fullScan(current.values(), unreadable));
      const ran = { network: 0, workloads: 0, broken: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(changeArbitrary, { minLength: 1, maxLength: 4 }), async (changes) => {
          for (const change of changes) {
            const key = keyOf(change.kind, change.namespace, change.name);
            const kind = kindOf({ kind: change.kind });
            if (change.object === null) {
              const existing = current.get(key);
              if (!existing) continue;
              current.delete(key);
              live.remove(kind, existing);
            } else {
              const object = stamped(change.object);
              current.set(key, object);
              live.upsert(kind, object);
            }
          }
          const { stats } = live.settle();
          if (stats.groups.some((group) => group.endsWith('/network'))) ran.network++;
          if (stats.groups.some((group) => group.endsWith('/workloads'))) ran.workloads++;
          if (current.has(keyOf('CiliumClusterwideNetworkPolicy', undefined, 'everywhere'))) ran.broken++;
          assert.deepEqual(state(live), await fullScan(current.values(), unreadable));
        }),
        { numRuns: 200, seed: 20261205 },
      );
      // The comparison covered both groups of namespace controls, and the cluster-wide policy that takes them over.
      assert.ok(ran.network >= 20 && ran.workloads >= 20 && ran.broken >= 20, JSON.stringify(ran));
    });
  }
});
