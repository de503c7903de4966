/**
 * The CPU one change costs `kubeharden serve`'s judgement, without an API server or a loaded machine in the way:
 * the bench cluster's objects (bench/cluster.ts, about 500 per namespace) held by a LiveCluster, then single
 * changes judged one settle each, four ways (the first three a Deployment's):
 * - `in place`: privileged and token mounting flipped: the object and its namespace's inventory controls;
 * - `label`: a pod-template label changed: also the cluster-wide inventory controls over every object;
 * - `whole`: the in-place change while a CiliumClusterwideNetworkPolicy exists, when no control is namespace-local
 *   and every inventory control runs over the whole cluster (what every change cost before the narrowing);
 * - `rolebinding` (a RoleBinding's subject changed, not a Deployment): the RBAC controls over every Role and binding.
 * Then batches as the `--serve-only` bench makes them at 100 changes a second: 66 in-place changes a settle, spread
 * over every namespace as its load generator spreads them, with the scores the agent computes after each: CPU ms a
 * batch and a change. It runs with the V8 settings `kubeharden serve` gives itself (`limitHeapGrowth`,
 * `favourMemory`), since the collector is a large part of what a batch costs.
 *
 *   node --expose-gc dist/bench/run.js --serve-settle-only [--serve-objects 10000]
 */
import { LISTED_KINDS, type ListedKind } from '../src/cluster/resource-kinds.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { parseKubeVersion } from '../src/kube/version.js';
import { LiveCluster } from '../src/serve/live-cluster.js';
import { limitHeapGrowth } from '../src/cli/heap-growth.js';
import { favourMemory } from '../src/serve/memory-mode.js';
import { MIX, objectFor } from './cluster.js';
import { ascending, quantile } from './quantile.js';

const KINDS = new Map(LISTED_KINDS.map((kind) => [kind.plural, kind]));
const ROUNDS = 20;
/** Changes a batch holds at 100 changes a second when a batch takes about 0.66 s (the agent on main, idle machine). */
const BATCH = 66;
const BATCHES = 30;

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export function benchServeSettle(objects: number): void {
  limitHeapGrowth();
  favourMemory();
  const perNamespace = MIX.reduce((sum, kind) => sum + kind.count, 0);
  const namespaces = Math.max(1, Math.round(objects / perNamespace));
  const kind = (plural: string) => KINDS.get(plural) as ListedKind;
  let version = 0;
  const stamped = (object: object): Record<string, unknown> => {
    const typed = object as { metadata: Record<string, unknown> };
    return { ...typed, metadata: { ...typed.metadata, resourceVersion: String(++version) } };
  };
  const build = (whole: boolean) => {
    const live = new LiveCluster({ scanOptions: { framework: 'nsa', version: parseKubeVersion('v1.37.2'), templatePaths: new TemplatePaths() }, serverName: 'bench' });
    for (let n = 0; n < namespaces; n++) {
      live.upsert(kind('namespaces'), stamped({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${n}` } }));
      for (const { plural, count } of MIX) for (let index = 0; index < count; index++) live.upsert(kind(plural), stamped(objectFor(plural, `bench-${n}`, index)));
    }
    if (whole) live.upsert(kind('ciliumclusterwidenetworkpolicies'), stamped({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'bench' }, spec: { endpointSelector: { matchLabels: { bench: 'none' } } } }));
    live.start();
    live.settle();
    return live;
  };
  const change = (round: number, label: boolean) => {
    const deployment = objectFor('deployments', `bench-${round % namespaces}`, round % 100) as { spec: { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } };
    const template = deployment.spec.template;
    if (label) template.metadata.labels['tier'] = round % 2 === 0 ? 'front' : 'back';
    else {
      template.spec.containers[0]!['securityContext'] = { privileged: round % 2 === 0 };
      template.spec['automountServiceAccountToken'] = round % 2 !== 0;
    }
    return stamped(deployment);
  };
  console.log(`\nserve settle: one Deployment change judged, ${namespaces} namespaces of ${perNamespace} objects (CPU ms per change, ${ROUNDS} changes each)`);
  console.log('change       p50 ms  p99 ms  groups run');
  // A RoleBinding's subject moved to another ServiceAccount and back: the RBAC controls run again over every Role and
  // binding (one group, not per subject).
  const rebind = (round: number) => {
    const binding = objectFor('rolebindings', `bench-${round % namespaces}`, round % 25) as { subjects: { name: string }[] };
    if (round % 2 === 0) binding.subjects[0]!.name = 'default';
    return stamped(binding);
  };
  for (const [name, whole, label] of [['in place', false, false], ['label', false, true], ['whole', true, false], ['rolebinding', false, false]] as const) {
    const live = build(whole);
    const costs: number[] = [];
    let groups: readonly string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (name === 'rolebinding') live.upsert(kind('rolebindings'), rebind(round));
      else live.upsert(kind('deployments'), change(round, label));
      costs.push(cpuMs(() => (groups = live.settle().stats.groups)));
    }
    const sorted = ascending(costs);
    console.log([name.padEnd(12), quantile(sorted, 0.5).toFixed(1).padEnd(7), quantile(sorted, 0.99).toFixed(1).padEnd(7), groups.join(', ')].join(' '));
  }
  // Batches as the load generator of bench/serve.ts makes them: change `tick` goes to namespace tick % namespaces.
  console.log(`batches of ${BATCH} changes over ${namespaces} namespaces, with scores (CPU, ${BATCHES} batches each)`);
  console.log('change          batch p50 ms  p99 ms  ms a change  groups run in the last');
  for (const mode of BATCH_MODES) batches(build(false), namespaces, mode, kind, stamped);
}

/**
 * `in place`: token mounting flips with privileged (the `--serve-only` bench's change); `privileged only`: privileged
 * alone; `labels`: a pod-template label (`--serve-change labels`).
 */
const BATCH_MODES = ['in place', 'privileged only', 'labels'] as const;

function batches(live: LiveCluster, namespaces: number, mode: (typeof BATCH_MODES)[number], kind: (plural: string) => ListedKind, stamped: (object: object) => Record<string, unknown>): void {
  const costs: number[] = [];
  let tick = 0;
  let groups = 0;
  for (let batch = 0; batch < BATCHES; batch++) {
    for (let index = 0; index < BATCH; index++, tick++) {
      const deployment = objectFor('deployments', `bench-${tick % namespaces}`, Math.floor(tick / namespaces) % 100) as { metadata: Record<string, unknown>; spec: { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } };
      const privileged = Math.floor(tick / (namespaces * 100)) % 2 === 0;
      deployment.metadata['annotations'] = { 'kubeharden.io/bench-sent-at': String(tick) };
      if (mode === 'labels') deployment.spec.template.metadata.labels['tier'] = privileged ? 'front' : 'back';
      else deployment.spec.template.spec.containers[0]!['securityContext'] = { privileged };
      if (mode === 'in place') deployment.spec.template.spec['automountServiceAccountToken'] = !privileged;
      live.upsert(kind('deployments'), stamped(deployment));
    }
    costs.push(
      cpuMs(() => {
        groups = live.settle().stats.groups.length;
        live.scores();
      }),
    );
  }
  const perChange = costs.reduce((sum, cost) => sum + cost, 0) / costs.length / BATCH;
  const sorted = ascending(costs);
  console.log([mode.padEnd(15), quantile(sorted, 0.5).toFixed(0).padEnd(13), quantile(sorted, 0.99).toFixed(0).padEnd(7), perChange.toFixed(2).padEnd(12), String(groups)].join(' '));
}
