/**
 * The cluster as the watches last saw it, judged incrementally with the same controls, exceptions and scores as
 * `kubeharden cluster` (src/cluster/cluster-scan.ts and src/scan/scan.ts):
 *
 * - an object that changed is judged again on its own (its pod and object controls, the control-plane component it
 *   runs), and nothing else is;
 * - the inventory (cross-resource) controls are split by what they read (src/serve/inventory-scope.ts):
 *   - the RBAC controls read only Roles, RoleBindings and their cluster-wide kinds, so only a change to one of
 *     those runs them again, over an inventory of the RBAC objects alone;
 *   - the namespace-local controls run per namespace, in two groups by the part of the inventory they read (the
 *     network model and policies; service accounts, token mounting, add-ons and counts), each over an inventory
 *     of that part of the namespace's objects: a change runs a group again for its own namespace only, and only
 *     when it alters what that part reads from the object (its `namespaceInput` digest, from the inventory's own
 *     reads: not a status update, nor a privileged container; token mounting moves only the second part, a
 *     container port only the first); the other namespaces' results stand;
 *   - the cluster-wide controls run over the inventory of every non-RBAC object, and only when a change alters
 *     what they read (each object's `clusterWideInput` digest, compared before and after).
 *   Objects judged through their owner (a Deployment's ReplicaSets and Pods) feed none of them, so their churn
 *   costs nothing. While a CiliumClusterwideNetworkPolicy exists, no control is local: every non-RBAC inventory
 *   control runs over the whole inventory on any change, as before the narrowing.
 *
 * Objects are added to each inventory in the order a full scan lists them (kinds in LISTED_KINDS order, each kind
 * sorted as etcd keys are), since a few inventory answers depend on order (a namespace's first object).
 */
import type { ComponentConfig, RunningRelease } from '../components/component-config.js';
import { releaseComponent } from '../components/release.js';
import { CONTROLS } from '../controls/index.js';
import { evaluateComponent } from '../engine/component-evaluate.js';
import { evaluateResource } from '../engine/evaluate.js';
import { Inventory, type InventoryFacet, type KnownFacts } from '../engine/inventory.js';
import { ScoreBoard, type Scores } from '../engine/scores.js';
import { selectControls, type Selection } from '../engine/select.js';
import { DEFAULT_SETTINGS, type ComponentControl, type Control, type InventoryControl, type ScannedComponent } from '../engine/types.js';
import { ExceptionSet, type InlineException } from '../exceptions/exception-set.js';
import type { PodTemplateRef } from '../kube/pod-templates.js';
import type { InputError, LoadedResource } from '../loader/source.js';
import { controlPlaneComponents, inlineException, judgeInventoryControl, type ScanOptions } from '../scan/scan.js';
import { excludedControls, LiveObject, mergeExcluded } from '../cluster/cluster-scan.js';
import { judgedThroughOwner } from '../cluster/owned.js';
import { LISTED_KINDS, liveObjectFile, type ListedKind } from '../cluster/resource-kinds.js';
import { isRecord, record, str } from '../util/object.js';
import type { Finding } from '../vocabulary/finding.js';
import { fingerprint } from '../exceptions/fingerprint.js';
import type { StoredFinding } from '../engine/finding-store.js';
import { networkEssentials } from '../netpol/model.js';
import { ScoreTally } from './score-tally.js';
import { BREAKS_NAMESPACE_LOCALITY, clusterWideInput, FACETS, NAMESPACE_LOCAL_CONTROLS, namespaceInput } from './inventory-scope.js';

const RBAC_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);
const KIND_ORDER = new Map(LISTED_KINDS.map((kind, index) => [kind.kind, index]));

/** A namespace's objects: what its namespace-local controls read. */
type Partition = `namespace:${string}`;

/**
 * The groups of inventory controls, by what they read (see the file comment): for the local ones, two per
 * namespace, one per part of its inventory (`namespace:shop/network`, `namespace:shop/workloads`).
 */
type Group = 'rbac' | 'cluster' | `${Partition}/${InventoryFacet}`;

function facetGroup(partition: Partition, facet: InventoryFacet): Group {
  return `${partition}/${facet}`;
}

/** Its network essentials and what else `Inventory.add` derives from it, worked out once for every inventory it joins. */
interface Judged extends KnownFacts {
  readonly resource: LoadedResource;
  readonly template: PodTemplateRef | undefined;
  readonly inline: InlineException | undefined;
  readonly findings: readonly StoredFinding[];
  /** Each run of controls on the object or a component it runs, and the controls whose findings stand. */
  readonly runs: readonly { readonly ran: readonly Control[]; readonly failed: readonly { readonly controlId: string }[] }[];
  readonly components: readonly ScannedComponent[];
  readonly inputError: InputError | undefined;
}

interface Entry {
  readonly kind: ListedKind;
  /** Namespace and name as etcd orders them: `shop/web`, or `web` for cluster-scoped objects. */
  readonly order: string;
  /** The namespace group its namespace-local controls belong to (see `partitionOf`). */
  readonly partition: Partition | undefined;
  object: Record<string, unknown>;
  /** Undefined while the object waits to be judged, or when it is judged through its owner. */
  judged: Judged | undefined;
  owned: boolean;
  /** Its judgement before this change, while it waits: unchanged findings keep their objects. */
  previous: Judged | undefined;
  /** What the cluster-wide controls read from it, as a digest (`''`: nothing), computed when first asked. */
  clusterInput: string | undefined;
  /** What each part of its namespace's inventory reads from it, as a digest (`''`: nothing), computed when first asked. */
  namespaceInput: Partial<Record<InventoryFacet, string>> | undefined;
}

interface GroupResult {
  readonly findings: StoredFinding[];
  /** Its findings by `contentKey`, for the group's next run to find the unchanged ones without keying them again. */
  readonly byContent: Map<string, StoredFinding>;
  readonly scores: Map<string, { assessed: number; failed: number }>;
}

export interface LiveClusterOptions {
  readonly scanOptions: ScanOptions;
  /** The server's URL as the cluster scan names it, and its release, judged as `kubeharden cluster` does. */
  readonly serverName: string;
  readonly release?: RunningRelease;
}

/** What one settle did: how many objects and which inventory groups it judged again. */
export interface SettleStats {
  readonly objects: number;
  readonly groups: readonly string[];
  readonly ms: number;
}

/** A settle's statistics, and the finding objects it dropped and made (an unchanged group finding is kept, not remade). */
export interface SettleResult {
  readonly stats: SettleStats;
  readonly gone: readonly StoredFinding[];
  readonly came: readonly StoredFinding[];
}

export class LiveCluster {
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private readonly dirtyGroups = new Set<Group>();
  private configured: { selection: Selection; listed: ReadonlySet<string>; exceptions: ExceptionSet; componentControls: ComponentControl[]; release: Judged | undefined; rbac: InventoryControl[]; local: InventoryControl[]; byFacet: ReadonlyMap<InventoryFacet, InventoryControl[]>; clusterWide: InventoryControl[]; clusterView: boolean } | undefined;
  private readonly groupResults = new Map<Group, GroupResult>();
  /**
   * Each object changed since the last settle, with its entry (and namespace group) as of then: their inputs are
   * compared at the settle, and only while the group they feed is not running again anyway.
   */
  private readonly inputsBefore = new Map<string, { entry: Entry | undefined; partition: Partition | undefined }>();
  /** Keys of the CiliumClusterwideNetworkPolicies held: while there is one, no control is namespace-local. */
  private readonly localityBreakers = new Set<string>();
  private localityBroken = false;
  private initialSettle = true;
  /**
   * The keys of each namespace's objects, so its inventories are built without a pass over the cluster, and the
   * same keys in the order a full scan adds them, kept until one comes or goes: a namespace's groups run after
   * nearly every batch, and its objects mostly change in place.
   */
  private readonly partitions = new Map<Partition, { readonly keys: Set<string>; ordered: string[] | undefined }>();
  /** The score counts of every judged object (`entry.judged`), kept as they are judged, changed and removed. */
  private readonly objectScores = new ScoreTally();
  /** Findings of objects changed or removed since the last settle, as they were judged before. */
  private gone: StoredFinding[] = [];
  /** Kinds that could not be read at the start, with the reason (the report's "not assessed"). */
  readonly unavailable = new Map<string, { status: 'not-served' | 'denied' | 'failed'; reason: string }>();

  constructor(private readonly options: LiveClusterOptions) {}

  /** Objects known, by kind. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const entry of this.entries.values()) counts.set(entry.kind.kind, (counts.get(entry.kind.kind) ?? 0) + 1);
    return counts;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Judging starts once every kind has been listed once: which kinds could be read decides the selection. */
  start(): void {
    const listed = new Set(LISTED_KINDS.map((kind) => kind.kind).filter((kind) => !this.unavailable.has(kind)));
    const unreadable = new Set([...this.unavailable].filter(([, why]) => why.status !== 'not-served').map(([kind]) => kind));
    const { scanOptions } = this.options;
    const excluded = mergeExcluded(scanOptions.excluded, excludedControls(listed, unreadable), { excludeNamespaces: [], probeAnonymous: false, kubeletConfigz: false });
    const selection = selectControls(CONTROLS, scanOptions.framework, scanOptions.version, {
      namespaceObjectsElsewhere: scanOptions.namespaceObjectsElsewhere ?? false,
      settings: scanOptions.settings ?? DEFAULT_SETTINGS,
      components: true,
      excluded,
    });
    const inventoryControls = selection.active.filter((control): control is InventoryControl => control.scope === 'inventory');
    const rest = inventoryControls.filter((control) => !control.meta.id.startsWith('RBAC-'));
    const exceptions = scanOptions.exceptions ?? ExceptionSet.none();
    const componentControls = selection.active.filter((control): control is ComponentControl => control.scope === 'component');
    this.configured = {
      selection,
      listed,
      exceptions,
      componentControls,
      release: undefined,
      rbac: inventoryControls.filter((control) => control.meta.id.startsWith('RBAC-')),
      local: rest.filter((control) => NAMESPACE_LOCAL_CONTROLS.has(control.meta.id)),
      byFacet: new Map(FACETS.map((facet) => [facet, rest.filter((control) => NAMESPACE_LOCAL_CONTROLS.get(control.meta.id) === facet)])),
      clusterWide: rest.filter((control) => !NAMESPACE_LOCAL_CONTROLS.has(control.meta.id)),
      clusterView: unreadable.size === 0,
    };
    if (this.options.release) {
      const component = releaseComponent({ apiVersion: 'v1', kind: 'Cluster', namespace: null, name: this.options.serverName }, { file: 'cluster:/version', field: 'gitVersion' }, this.options.release);
      this.configured.release = this.judgeComponentsOnly([component]);
    }
    for (const key of this.entries.keys()) this.dirty.add(key);
    for (const group of this.namespaceGroups()) this.dirtyGroups.add(group);
    this.inputsBefore.clear();
    this.localityBroken = this.localityBreakers.size > 0;
    this.dirtyGroups.add('rbac').add('cluster');
  }

  /** The inventory groups whose results are held (`rbac`, `cluster`, `namespace:shop/network`, …). */
  heldGroups(): string[] {
    return [...this.groupResults.keys()];
  }

  get started(): boolean {
    return this.configured !== undefined;
  }

  /** Changes are waiting to be judged. */
  get pending(): boolean {
    return this.dirty.size > 0 || this.dirtyGroups.size > 0;
  }

  replaceKind(kind: ListedKind, objects: readonly Record<string, unknown>[]): void {
    const seen = new Set<string>();
    for (const object of objects) seen.add(this.upsert(kind, object));
    for (const [key, entry] of this.entries) if (entry.kind === kind && !seen.has(key)) this.remove(kind, entry.object);
  }

  /** The uid of an object held, by kind, namespace (null when cluster-scoped) and name: per-resource reports' owner. */
  uidOf(kind: string, namespace: string | null, name: string): string | undefined {
    const metadata = this.entries.get(entryKey(kind, namespace ?? undefined, name))?.object['metadata'];
    return isRecord(metadata) && typeof metadata['uid'] === 'string' ? metadata['uid'] : undefined;
  }

  /** An object added or changed; returns its key. */
  upsert(kind: ListedKind, object: Record<string, unknown>): string {
    const { namespace, name } = identity(object);
    const key = entryKey(kind.kind, namespace, name);
    const existing = this.entries.get(key);
    if (existing && sameVersion(existing.object, object)) return key;
    const partition = existing?.partition ?? partitionOf(kind, namespace, name);
    if (existing?.judged) this.forget(existing.judged);
    const entry: Entry = { kind, order: namespace === undefined ? name : `${namespace}/${name}`, partition, object, judged: undefined, previous: existing?.judged ?? existing?.previous, owned: false, clusterInput: undefined, namespaceInput: undefined };
    this.entries.set(key, entry);
    if (partition !== undefined && !existing) {
      let members = this.partitions.get(partition);
      if (!members) this.partitions.set(partition, (members = { keys: new Set(), ordered: undefined }));
      members.keys.add(key);
      members.ordered = undefined;
    }
    if (kind.kind === BREAKS_NAMESPACE_LOCALITY) this.localityBreakers.add(key);
    this.touched(key, entry, existing);
    return key;
  }

  remove(kind: ListedKind, object: Record<string, unknown>): void {
    const { namespace, name } = identity(object);
    const key = entryKey(kind.kind, namespace, name);
    const existing = this.entries.get(key);
    if (!existing) return;
    this.entries.delete(key);
    if (existing.judged) this.forget(existing.judged);
    this.localityBreakers.delete(key);
    if (existing.partition !== undefined) {
      const members = this.partitions.get(existing.partition);
      if (members) {
        members.keys.delete(key);
        members.ordered = undefined;
        if (members.keys.size === 0) this.partitions.delete(existing.partition);
      }
    }
    this.dirty.add(key);
    if (!existing.owned) this.feedsInventories(key, existing, existing);
  }

  /** A judgement that no longer stands: its findings are gone and its runs leave the scores. */
  private forget(judged: Judged): void {
    this.gone.push(...judged.findings);
    this.objectScores.subtract(judged.runs);
  }

  private touched(key: string, entry: Entry, before: Entry | undefined): void {
    this.dirty.add(key);
    // An object judged through its owner before and after feeds no inventory; anything else may.
    if (before?.owned && this.ownedNow(key)) return;
    this.feedsInventories(key, entry, before);
  }

  /** The object's change reaches the inventory of its group: RBAC, or its namespace and maybe the cluster-wide one. */
  private feedsInventories(key: string, entry: Entry, before: Entry | undefined): void {
    if (RBAC_KINDS.has(entry.kind.kind)) {
      this.dirtyGroups.add('rbac');
      return;
    }
    if (!this.inputsBefore.has(key)) this.inputsBefore.set(key, { entry: before, partition: entry.partition });
  }

  /**
   * The digests are computed when a change asks for them (the object's before and after), not for every object
   * judged: the first list of 10,000 objects needs none.
   */
  private clusterInputOf(entry: Entry | undefined): string {
    if (!entry?.judged || RBAC_KINDS.has(entry.kind.kind)) return '';
    const { judged } = entry;
    return (entry.clusterInput ??= clusterWideInput(entry.kind, entry.object, judged.template, judged.components, judged.inline, (judged.essentials ??= networkEssentials(entry.object, judged.template))));
  }

  private namespaceInputOf(entry: Entry | undefined, facet: InventoryFacet): string {
    if (!entry?.judged || entry.partition === undefined || RBAC_KINDS.has(entry.kind.kind)) return '';
    const { judged } = entry;
    const inputs = (entry.namespaceInput ??= {});
    return (inputs[facet] ??= namespaceInput(judged.resource, judged.template, judged.components, judged.inline, facet));
  }

  private ownedNow(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && this.configured !== undefined && judgedThroughOwner(entry.object, this.configured.listed) !== undefined;
  }

  /** Judges what changed since the last settle. */
  settle(): SettleResult {
    const steps = this.settleSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * `settle` in steps: the changed objects, then each group run. The agent lets other work run between steps (the
   * answers to its report writes, the watches' bytes), so a long batch does not hold the writes up; the objects
   * must not change until the last step (the agent holds the watches' events meanwhile). `stats.ms` counts the
   * steps' own time.
   */
  *settleSteps(): Generator<void, SettleResult, void> {
    let ms = 0;
    let started = performance.now();
    const config = this.configured;
    if (!config) throw new Error('settle before start');
    const objects = this.dirty.size;
    const gone = this.gone;
    this.gone = [];
    const came: StoredFinding[] = [];
    if (this.initialSettle) {
      this.initialSettle = false;
      if (config.release) came.push(...config.release.findings);
    }
    for (const key of this.dirty) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      entry.owned = judgedThroughOwner(entry.object, config.listed) !== undefined;
      if (entry.judged) this.objectScores.subtract(entry.judged.runs);
      entry.judged = entry.owned ? undefined : this.judge(entry);
      if (entry.judged) this.objectScores.add(entry.judged.runs);
      entry.previous = undefined;
      entry.clusterInput = undefined;
      entry.namespaceInput = undefined;
      if (entry.judged) came.push(...entry.judged.findings);
    }
    this.dirty.clear();
    for (const [key, before] of this.inputsBefore) {
      const entry = this.entries.get(key);
      if (!this.dirtyGroups.has('cluster') && this.clusterInputOf(entry) !== this.clusterInputOf(before.entry)) this.dirtyGroups.add('cluster');
      if (before.partition === undefined) continue;
      for (const facet of FACETS) {
        const group = facetGroup(before.partition, facet);
        if (!this.dirtyGroups.has(group) && this.namespaceInputOf(entry, facet) !== this.namespaceInputOf(before.entry, facet)) this.dirtyGroups.add(group);
      }
    }
    this.inputsBefore.clear();
    const broken = this.localityBreakers.size > 0;
    if (broken !== this.localityBroken) {
      // The controls move between the namespace groups and the cluster-wide one: judge all of them again.
      this.localityBroken = broken;
      for (const [group, result] of this.groupResults) {
        if (group === 'rbac') continue;
        gone.push(...result.findings);
        this.groupResults.delete(group);
      }
      this.dirtyGroups.add('cluster');
      for (const group of this.namespaceGroups()) this.dirtyGroups.add(group);
    }
    const groups = [...this.dirtyGroups];
    this.dirtyGroups.clear();
    // Without namespace-local controls, a namespace's change is the cluster-wide group's.
    if (broken && groups.some((group) => group.startsWith('namespace:')) && !groups.includes('cluster')) groups.push('cluster');
    const run = broken ? groups.filter((group) => !group.startsWith('namespace:')) : groups;
    for (const group of run) {
      ms += performance.now() - started;
      yield;
      started = performance.now();
      const before = this.groupResults.get(group)?.findings ?? [];
      const result = this.runGroup(group);
      // A result with no finding and nothing assessed adds nothing to the findings or scores: a namespace that is
      // gone (its groups ran over no object) leaves nothing held.
      if (result.findings.length === 0 && [...result.scores.values()].every(({ assessed, failed }) => assessed === 0 && failed === 0)) this.groupResults.delete(group);
      else this.groupResults.set(group, result);
      // A finding equal to one of the last run is the same object (see runGroup): neither gone nor new.
      const kept = new Set<StoredFinding>(result.findings);
      for (const finding of before) if (!kept.has(finding)) gone.push(finding);
      const had = new Set<StoredFinding>(before);
      for (const finding of result.findings) if (!had.has(finding)) came.push(finding);
    }
    ms += performance.now() - started;
    return { stats: { objects, groups: run, ms }, gone, came };
  }

  /** Every finding, as a fresh cluster scan of the same objects would give them. */
  *findings(): Generator<StoredFinding> {
    for (const entry of this.entries.values()) if (entry.judged) yield* entry.judged.findings;
    if (this.configured?.release) yield* this.configured.release.findings;
    for (const result of this.groupResults.values()) yield* result.findings;
  }

  /** Scores as the cluster scan computes them. */
  scores(): Scores {
    const config = this.configured;
    if (!config) throw new Error('scores before start');
    const board = new ScoreBoard();
    this.objectScores.addTo(board);
    if (config.release) for (const run of config.release.runs) board.recordRun(run.ran, run.failed);
    for (const result of this.groupResults.values()) for (const [id, { assessed, failed }] of result.scores) board.record(id, assessed, failed);
    return board.scores(config.selection.active);
  }

  get selection(): Selection {
    if (!this.configured) throw new Error('selection before start');
    return this.configured.selection;
  }

  /** Input errors of the objects (a pod template of the wrong type). */
  inputErrors(): InputError[] {
    return [...this.entries.values()].flatMap((entry) => (entry.judged?.inputError ? [entry.judged.inputError] : []));
  }

  private judge(entry: Entry): Judged {
    const config = this.configured!;
    const { scanOptions } = this.options;
    const { namespace, name } = identity(entry.object);
    const resource: LoadedResource = { object: entry.object, prefix: [], document: new LiveObject(liveObjectFile(entry.kind, namespace, name)) };
    const settings = scanOptions.settings ?? DEFAULT_SETTINGS;
    const evaluation = evaluateResource(resource, { controls: config.selection.active, version: scanOptions.version, templatePaths: scanOptions.templatePaths, settings });
    const errors: InputError[] = [];
    const inline = inlineException(resource, errors);
    if (inline) config.exceptions.register(inline);
    const findings = evaluation.findings.map((finding) => config.exceptions.apply(finding, inline));
    const runs: Judged['runs'][number][] = [];
    if (evaluation.ran.length > 0) runs.push({ ran: evaluation.ran, failed: findings.filter((finding) => !finding.suppression) });
    const components: ScannedComponent[] = [];
    for (const component of controlPlaneComponents(resource, evaluation.podTemplate, undefined)) {
      const judged = this.judgeComponent(component, inline);
      findings.push(...judged.findings);
      if (judged.run) runs.push(judged.run);
      if (entry.object['kind'] === 'Pod') components.push({ config: component, nodeName: str(record(entry.object['spec'])?.['nodeName']) });
    }
    // A finding equal to one of its judgement before keeps that object (and its fingerprint), as in runGroup.
    const previous = new Map<string, StoredFinding>();
    for (const finding of entry.previous?.findings ?? []) previous.set(contentKey(finding), finding);
    const kept = previous.size === 0 ? findings.map(stored) : findings.map((finding) => previous.get(contentKey(finding)) ?? stored(finding));
    return { resource, template: evaluation.podTemplate, inline, findings: kept, runs, components, inputError: evaluation.inputError ?? errors[0] };
  }

  private judgeComponent(component: ComponentConfig, inline: InlineException | undefined): { findings: Finding[]; run: Judged['runs'][number] | undefined } {
    const config = this.configured!;
    const { ran, findings } = evaluateComponent(component, config.componentControls, this.options.scanOptions.version);
    if (ran.length === 0) return { findings: [], run: undefined };
    const judged = findings.map((finding) => config.exceptions.apply(finding, inline));
    return { findings: judged, run: { ran, failed: judged.filter((finding) => !finding.suppression) } };
  }

  private judgeComponentsOnly(components: readonly ComponentConfig[]): Judged {
    const findings: Finding[] = [];
    const runs: Judged['runs'][number][] = [];
    for (const component of components) {
      const judged = this.judgeComponent(component, undefined);
      findings.push(...judged.findings);
      if (judged.run) runs.push(judged.run);
    }
    return { resource: { object: {}, prefix: [], document: new LiveObject('cluster:/version') }, template: undefined, inline: undefined, findings: findings.map(stored), runs, components: [], inputError: undefined };
  }

  /** Both groups of every namespace held. */
  private *namespaceGroups(): Generator<Group> {
    for (const partition of this.partitions.keys()) for (const facet of FACETS) yield facetGroup(partition, facet);
  }

  /** A namespace's keys in the order a full scan adds their objects (an entry's kind and order follow from its key). */
  private orderedKeys(partition: Partition): readonly string[] {
    const members = this.partitions.get(partition);
    if (!members) return [];
    return (members.ordered ??= [...members.keys].sort((a, b) => inScanOrder(this.entries.get(a)!, this.entries.get(b)!)));
  }

  /** Runs one group's inventory controls over an inventory of the objects that group reads. */
  private runGroup(group: Group): GroupResult {
    const config = this.configured!;
    const [partition, facet] = group === 'rbac' || group === 'cluster' ? [undefined, undefined] : splitGroup(group);
    const controls = group === 'rbac' ? config.rbac : group === 'cluster' ? (this.localityBroken ? [...config.local, ...config.clusterWide] : config.clusterWide) : (config.byFacet.get(facet!) ?? []);
    const result: GroupResult = { findings: [], byContent: new Map(), scores: new Map() };
    if (controls.length === 0) return result;
    const inventory = new Inventory('in the cluster', config.clusterView ? { namespace: undefined, excluded: [] } : undefined, facet);
    const annotated = new Map<string, InlineException>();
    const annotatedNamespaces = new Map<string, InlineException>();
    const components: ScannedComponent[] = [];
    const members =
      group === 'rbac' || group === 'cluster'
        ? [...this.entries.values()].filter((entry) => entry.judged !== undefined && RBAC_KINDS.has(entry.kind.kind) === (group === 'rbac')).sort(inScanOrder)
        : this.orderedKeys(partition!).map((key) => this.entries.get(key)!).filter((entry) => entry.judged !== undefined);
    for (const entry of members) {
      const judged = entry.judged!;
      inventory.add(judged.resource, judged.template, judged);
      components.push(...judged.components);
      if (judged.inline) {
        const { namespace, name } = identity(entry.object);
        annotated.set(`${judged.resource.document.file}\u0000${entry.kind.kind}\u0000${namespace ?? ''}\u0000${name}`, judged.inline);
        if (entry.kind.kind === 'Namespace') annotatedNamespaces.set(name, judged.inline);
      }
    }
    const context = { version: this.options.scanOptions.version, namespaceObjectsElsewhere: this.options.scanOptions.namespaceObjectsElsewhere ?? false, components };
    // A finding equal to one of the group's previous run keeps that object (and its fingerprint): the agent knows
    // it by identity, so an unchanged finding costs no hashing.
    const previous = this.groupResults.get(group)?.byContent;
    const keep = (finding: Finding) => {
      const key = contentKey(finding);
      const kept = previous?.get(key) ?? stored(finding);
      result.findings.push(kept);
      result.byContent.set(key, kept);
    };
    for (const control of controls) {
      const judged = judgeInventoryControl(control, inventory, context, config.exceptions, { annotated, annotatedNamespaces }, keep);
      result.scores.set(control.meta.id, { assessed: judged.assessed, failed: judged.failed });
    }
    return result;
  }
}

/** The namespace group an object's namespace-local controls belong to: its namespace's, or a Namespace's own. */
function partitionOf(kind: ListedKind, namespace: string | undefined, name: string): Partition | undefined {
  if (RBAC_KINDS.has(kind.kind)) return undefined;
  if (kind.kind === 'Namespace') return `namespace:${name}`;
  return namespace === undefined ? undefined : `namespace:${namespace}`;
}

/** Kinds in LISTED_KINDS order, each sorted as etcd keys are: the order a full scan adds objects to its inventory. */
function inScanOrder(a: Entry, b: Entry): number {
  return (KIND_ORDER.get(a.kind.kind) ?? 0) - (KIND_ORDER.get(b.kind.kind) ?? 0) || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0);
}

/** A namespace group's partition and part (a namespace name holds no `/`). */
function splitGroup(group: `${Partition}/${InventoryFacet}`): [Partition, InventoryFacet] {
  const slash = group.lastIndexOf('/');
  return [group.slice(0, slash) as Partition, group.slice(slash + 1) as InventoryFacet];
}

/** An entry's key: kind, namespace ('' when cluster-scoped) and name; `uidOf` finds entries by the same key. */
function entryKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function identity(object: Record<string, unknown>): { namespace: string | undefined; name: string } {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  return { namespace: typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined, name: typeof metadata['name'] === 'string' ? metadata['name'] : '' };
}

/** The same resourceVersion: a relist or a repeated event brings nothing new. */
function sameVersion(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const version = (object: Record<string, unknown>) => (isRecord(object['metadata']) ? object['metadata']['resourceVersion'] : undefined);
  return version(a) !== undefined && version(a) === version(b);
}

/** With its fingerprint, as the scan's finding store keeps it. */
function stored(finding: Finding): StoredFinding {
  return { ...finding, fingerprint: fingerprint(finding) };
}

/** Everything a finding says, as one string: equal strings, interchangeable findings. */
function contentKey(finding: Finding): string {
  const { resource, location } = finding;
  return [
    finding.controlId, resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name ?? '', location.file, location.line, location.column, location.templateSource ?? '',
    finding.field, finding.message, finding.about ?? '', finding.suppression ? JSON.stringify(finding.suppression) : '',
  ].join('\u0000');
}
