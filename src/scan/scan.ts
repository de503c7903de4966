import { loadInput, type EarlyWork, type Input } from '../loader/inputs.js';
import type { InputError, LoadedResource } from '../loader/source.js';
import type { PodTemplateRef, TemplatePaths } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import { CONTROLS } from '../controls/index.js';
import { evaluateResource, type Evaluation } from '../engine/evaluate.js';
import { resourceRef } from '../kube/resource-ref.js';
import type { Finding, ResourceRef, Subject } from '../vocabulary/finding.js';
import { FindingStore } from '../engine/finding-store.js';
import { selectControls, type Selection } from '../engine/select.js';
import { DuplicateObjects } from '../engine/duplicates.js';
import { Inventory, type ClusterView } from '../engine/inventory.js';
import { ScoreBoard, type Scores } from '../engine/scores.js';
import { DEFAULT_SETTINGS, type Control, type FrameworkId, type InventoryControl, type InventoryContext, type InventoryViolation, type ScanSettings, type ComponentControl, type ScannedComponent } from '../engine/types.js';
import { ExceptionSet, IGNORE_ANNOTATION, parseIgnoreAnnotation, type ExceptionStatus, type InlineException } from '../exceptions/exception-set.js';
import { isRecord, record, str } from '../util/object.js';
import type { ComponentConfig, HostReader } from '../components/component-config.js';
import { componentFromStaticPod } from '../components/static-pod.js';
import { CONTROL_PLANE_COMPONENTS, controlPlaneComponentsIn } from '../components/control-plane-container.js';
import { evaluateComponent } from '../engine/component-evaluate.js';
import { StringIds } from '../util/string-ids.js';

export interface ScanOptions {
  readonly framework: FrameworkId;
  /** Namespaces, NetworkPolicies, quotas and ServiceAccounts live outside the input (`--namespace-objects-elsewhere`). */
  readonly namespaceObjectsElsewhere?: boolean;
  readonly settings?: ScanSettings;
  readonly version: KubeVersion;
  readonly templatePaths: TemplatePaths;
  /** Accepted risks from the configuration file; `kubeharden.io/ignore` annotations are read in any case. */
  readonly exceptions?: ExceptionSet;
  /** Keep every assessed resource with the controls that judged it (JUnit lists passed cases too). */
  readonly recordAssessed?: boolean;
  /**
   * Judge component configuration too (`kubeharden node`, `kubeharden cluster`): control-plane static pods in the
   * stream, plus components read elsewhere (a kubelet's flags and configuration, the host's files).
   */
  readonly components?: { readonly reader?: HostReader; readonly extra?: readonly ComponentConfig[]; readonly only?: readonly string[] };
  /** How findings about missing objects say where they were looked for (default: "among the scanned files"). */
  readonly searchedIn?: string;
  /** Set by a live cluster scan: what it read in full, so controls may take an absent object as absent. */
  readonly clusterView?: ClusterView;
  /** Controls to leave out, with the reason the report gives. */
  readonly excluded?: ReadonlyMap<string, string>;
  /** Called after each input, for progress display. */
  readonly onInputDone?: (done: number, total: number) => void;
}

export interface ScanStats {
  readonly inputs: number;
  readonly resources: number;
  readonly podTemplates: number;
}

export interface ScanResult {
  /** Every finding, spilled out of the heap once there are many (see finding-store.ts). */
  readonly store: FindingStore;
  /** Every finding as an array, in the order made: reads the whole store, so only for tests and small inputs. */
  readonly findings: Finding[];
  readonly errors: InputError[];
  readonly stats: ScanStats;
  readonly selection: Selection;
  readonly scores: Scores;
  /** Every exception and ignore annotation, with whether it was used. */
  readonly exceptions: ExceptionStatus[];
  /** With `recordAssessed`: each resource that per-object controls judged, and which controls those were. */
  readonly assessed?: AssessedResource[];
  /** What was judged but looks wrong without being an error: objects defined twice. */
  readonly warnings: InputError[];
}

export interface AssessedResource {
  readonly resource: ResourceRef;
  readonly file: string;
  readonly controls: readonly Control[];
}

const KNOWN_CONTROLS: ReadonlySet<string> = new Set(CONTROLS.map((control) => control.meta.id));

/** Reads the inputs one at a time and keeps only findings: memory stays flat however many objects stream by. */
export async function scanInputs(inputs: readonly Input[], errors: InputError[], options: ScanOptions): Promise<ScanResult> {
  const early = new EarlyEvaluations();
  return scanResources(manifestBatches(inputs, errors, options.onInputDone, early.work), errors, options, inputs.length, early);
}

/** The resources of each input in turn; progress is reported once the scan has consumed an input. */
async function* manifestBatches(inputs: readonly Input[], errors: InputError[], onInputDone: ScanOptions['onInputDone'], early: EarlyWork): AsyncGenerator<Iterable<LoadedResource>> {
  for (const [index, input] of inputs.entries()) {
    const resources = await loadInput(input, errors, early);
    if (resources !== undefined) yield resources;
    onInputDone?.(index + 1, inputs.length);
  }
}

/**
 * Objects evaluated before the scan reached them: a rendering tool's output is read while the tool exits, and the
 * per-object controls (which depend on the object and the scan's options alone) run on it then. The scan takes
 * each evaluation in its turn; an object it never reaches takes its evaluation with it.
 */
class EarlyEvaluations {
  private readonly done = new WeakMap<LoadedResource, Evaluation>();
  private evaluate: ((resource: LoadedResource) => Evaluation) | undefined;

  /** Set by the scan once it has chosen its controls: objects handed over before that are evaluated in their turn. */
  start(evaluate: (resource: LoadedResource) => Evaluation): void {
    this.evaluate = evaluate;
  }

  readonly work: EarlyWork = (resource) => {
    if (this.evaluate) this.done.set(resource, this.evaluate(resource));
  };

  take(resource: LoadedResource): Evaluation | undefined {
    const evaluation = this.done.get(resource);
    if (evaluation) this.done.delete(resource);
    return evaluation;
  }
}

/**
 * The scan itself, over batches of resources from anywhere: manifest files, or pages of a live cluster's lists.
 * `inputCount` is what the report calls inputs (files, or list requests).
 */
export async function scanResources(
  batches: AsyncIterable<Iterable<LoadedResource>>,
  errors: InputError[],
  options: ScanOptions,
  inputCount: number | (() => number),
  early?: EarlyEvaluations,
): Promise<ScanResult> {
  const namespaceObjectsElsewhere = options.namespaceObjectsElsewhere ?? false;
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const selection = selectControls(CONTROLS, options.framework, options.version, {
    namespaceObjectsElsewhere,
    settings,
    components: options.components !== undefined,
    ...(options.components?.only ? { onlyComponents: options.components.only } : {}),
    ...(options.excluded ? { excluded: options.excluded } : {}),
  });
  // Every scan judges the control-plane components its objects run (a static pod, a kubeadm Pod kept in git, a
  // Deployment of kube-apiserver) with the same controls as a node. In a manifest scan those controls join the
  // selection only when the input holds such a component, so a scan of ordinary workloads lists none of them as
  // not assessed.
  const manifestComponents = options.components
    ? undefined
    : selectControls(CONTROLS, options.framework, options.version, {
        components: true,
        onlyComponents: CONTROL_PLANE_COMPONENTS,
        ...(options.excluded ? { excluded: options.excluded } : {}),
      });
  const componentControls = (manifestComponents ?? selection).active.filter((control): control is ComponentControl => control.scope === 'component');
  const componentsFound = new Set<string>();
  const context = { controls: selection.active, version: options.version, templatePaths: options.templatePaths, settings };
  early?.start((resource) => evaluateResource(resource, context));
  const inventoryControls = selection.active.filter((control): control is InventoryControl => control.scope === 'inventory');
  // Cross-resource controls need a summary of the whole input; collect it only when one of them runs.
  const inventory = inventoryControls.length > 0 ? new Inventory(options.searchedIn, options.clusterView) : undefined;
  const findings = new FindingStore();
  let resources = 0;
  let podTemplates = 0;
  const board = new ScoreBoard();
  const exceptions = options.exceptions ?? ExceptionSet.none();
  // Inventory findings are made after the stream; they find their resource's annotation here.
  const annotated = new Map<string, InlineException>();
  // Findings about a namespace as a whole take the annotation of that Namespace object, wherever it was found.
  const annotatedNamespaces = new Map<string, InlineException>();
  const assessed: AssessedResource[] | undefined = options.recordAssessed ? [] : undefined;
  const judgeComponent = (component: ComponentConfig, inline: InlineException | undefined): void => {
    const { ran, findings: found } = evaluateComponent(component, componentControls, options.version);
    componentsFound.add(component.component);
    if (ran.length === 0) return;
    const judged = found.map((finding) => exceptions.apply(finding, inline));
    for (const finding of judged) findings.add(finding);
    board.recordRun(ran, judged.filter((finding) => !finding.suppression));
    assessed?.push({ resource: component.resource, file: component.locate({ config: [] }).location.file, controls: ran });
  };
  // The control-plane pods among the objects, for inventory controls that judge them with the workloads.
  const scannedComponents: ScannedComponent[] = [];
  let duplicates: DuplicateObjects | undefined = new DuplicateObjects();
  for await (const batch of batches) {
    for (const resource of batch) {
      resources++;
      duplicates.add(resource);
      const evaluation = early?.take(resource) ?? evaluateResource(resource, context);
      if (evaluation.podTemplate) podTemplates++;
      if (evaluation.inputError) errors.push(evaluation.inputError);
      const inline = inlineException(resource, errors);
      if (inline) {
        exceptions.register(inline);
        if (inventory) {
          annotated.set(resourceKey(resource.document.file, resource.object), inline);
          if (resource.object['kind'] === 'Namespace') annotatedNamespaces.set(nameOf(resource.object), inline);
        }
      }
      const judged = evaluation.findings.map((finding) => exceptions.apply(finding, inline));
      for (const finding of judged) findings.add(finding);
      // Accepted risks count as passed in the scores, as Kubescape counts resources with exceptions.
      if (evaluation.ran.length > 0) {
        board.recordRun(evaluation.ran, judged.filter((finding) => !finding.suppression));
        assessed?.push({ resource: resourceRef(resource.object), file: resource.document.file, controls: evaluation.ran });
      }
      inventory?.add(resource, evaluation.podTemplate);
      if (options.components || componentControls.length > 0) {
        for (const component of controlPlaneComponents(resource, evaluation.podTemplate, options.components?.reader)) {
          judgeComponent(component, inline);
          // Node-level inventory controls (the audit log leaving the node) want the static pods and their nodes.
          if (inventory && options.components && resource.object['kind'] === 'Pod') {
            scannedComponents.push({ config: component, nodeName: str(record(resource.object['spec'])?.['nodeName']) });
          }
        }
      }
    }
  }
  for (const component of options.components?.extra ?? []) judgeComponent(component, undefined);
  // The duplicate table (about 60 bytes an object) is done once the objects have streamed by: its warnings are taken
  // now and the table dropped, so it is not alive when the cross-resource controls run, where the scan peaks.
  const warnings = duplicates.result();
  duplicates = undefined;
  if (inventory) {
    for (const control of inventoryControls) {
      const judged = judgeInventoryControl(control, inventory, { version: options.version, namespaceObjectsElsewhere, ...(options.components ? { components: scannedComponents } : {}) }, exceptions, { annotated, annotatedNamespaces }, (finding) => findings.add(finding));
      board.record(control.meta.id, judged.assessed, judged.failed);
    }
  }
  const judged = manifestComponents ? withComponentsFound(selection, manifestComponents, componentsFound) : selection;
  const scores = board.scores(judged.active);
  return { store: findings, get findings() { return [...findings.all()]; }, errors, stats: { inputs: typeof inputCount === 'number' ? inputCount : inputCount(), resources, podTemplates }, selection: judged, scores, exceptions: exceptions.statuses(), ...(assessed ? { assessed } : {}), warnings };
}

/**
 * The control-plane components an object runs. A Pod is read as the static pod it is on a node (or was, kept in
 * git); any other pod template (a Deployment or DaemonSet of a hosted control plane) by the binaries its
 * containers run.
 */
export function controlPlaneComponents(resource: LoadedResource, template: PodTemplateRef | undefined, reader: HostReader | undefined): ComponentConfig[] {
  if (resource.object['kind'] === 'Pod') {
    const component = componentFromStaticPod(resource, reader);
    return component ? [component] : [];
  }
  return template ? controlPlaneComponentsIn(resource, template) : [];
}

/** The selection plus the component controls (run or skipped at this version) of the components the input holds. */
function withComponentsFound(selection: Selection, components: Selection, found: ReadonlySet<string>): Selection {
  const ofFound = (control: Control) => control.scope === 'component' && control.components.some((name) => found.has(name));
  return {
    active: [...selection.active, ...components.active.filter(ofFound)],
    skipped: [...selection.skipped, ...components.skipped.filter(({ control }) => ofFound(control))],
  };
}

function nameOf(object: Record<string, unknown>): string {
  const metadata = object['metadata'];
  return isRecord(metadata) && typeof metadata['name'] === 'string' ? metadata['name'] : '';
}

function resourceKey(file: string, object: Record<string, unknown>): string {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return `${file}\u0000${text(object['kind'])}\u0000${text(metadata['namespace'])}\u0000${text(metadata['name'])}`;
}

/** The resource's `kubeharden.io/ignore` annotation; a malformed one is an input error at its line. */
export function inlineException(resource: LoadedResource, errors: InputError[]): InlineException | undefined {
  const metadata = resource.object['metadata'];
  if (!isRecord(metadata) || !isRecord(metadata['annotations']) || !(IGNORE_ANNOTATION in metadata['annotations'])) return undefined;
  const parsed = parseIgnoreAnnotation(metadata['annotations'][IGNORE_ANNOTATION], KNOWN_CONTROLS);
  const position = resource.document.position([...resource.prefix, 'metadata', 'annotations', IGNORE_ANNOTATION]);
  const file = resource.document.file;
  if (typeof parsed === 'string') {
    errors.push({ file, line: position.line, column: position.column, message: parsed });
    return undefined;
  }
  const kind = typeof resource.object['kind'] === 'string' ? resource.object['kind'] : '?';
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '?';
  const namespace = typeof metadata['namespace'] === 'string' ? `${metadata['namespace']}/` : '';
  return { ...parsed, source: `${file}:${position.line}`, resource: `${kind}/${namespace}${name}` };
}

/** Inline exceptions of the scanned objects: by `file\0kind\0namespace\0name`, and Namespaces' by name. */
export interface Annotations {
  readonly annotated: ReadonlyMap<string, InlineException>;
  readonly annotatedNamespaces: ReadonlyMap<string, InlineException>;
}

/**
 * One inventory control's findings, with exceptions and annotations applied, and its score counts: the subjects it
 * assessed and those it failed (accepted findings count as passed). `kubeharden serve` runs controls this way too.
 */
export function judgeInventoryControl(
  control: InventoryControl,
  inventory: Inventory,
  context: InventoryContext,
  exceptions: ExceptionSet,
  annotations: Annotations,
  /** Takes each finding as it is made: a control over 200,000 Pods never has them all as objects at once. */
  add: (finding: Finding) => void,
): { assessed: number; failed: number } {
  const judgement = control.check(inventory, context);
  const failedSubjects = new DistinctSubjects();
  for (let step = judgement.next(); ; step = judgement.next()) {
    if (step.done) return { assessed: step.value, failed: failedSubjects.size };
    const violation = step.value;
    const { location, resource } = violation.subject;
    const inline = violation.about?.startsWith('Namespace/')
      ? annotations.annotatedNamespaces.get(violation.about.slice('Namespace/'.length))
      : annotations.annotated.get(`${location.file}\u0000${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name ?? ''}`);
    const finding = exceptions.apply(inventoryFinding(control, violation), inline);
    add(finding);
    if (!finding.suppression) failedSubjects.add(violation.subject);
  }
}

/**
 * Distinct subjects (file, line, kind, name) in packed keys, the file as a number: a control may fail 200,000 Pods,
 * and a Set of `file:line:kind/name` strings cost about 100 bytes each.
 */
class DistinctSubjects {
  private readonly files = new Map<string, number>();
  private readonly keys = new StringIds();

  get size(): number {
    return this.keys.size;
  }

  add({ location, resource }: Subject): void {
    let file = this.files.get(location.file);
    if (file === undefined) this.files.set(location.file, (file = this.files.size));
    this.keys.intern(`${file}:${location.line}:${resource.kind}/${resource.name}`);
  }
}

function inventoryFinding(control: InventoryControl, violation: InventoryViolation): Finding {
  return {
    controlId: control.meta.id,
    title: control.meta.title,
    severity: control.meta.severity,
    pss: control.meta.pss,
    resource: violation.subject.resource,
    location: violation.subject.location,
    field: violation.subject.field,
    message: violation.message,
    remediation: control.meta.remediation.text,
    ...(violation.about !== undefined ? { about: violation.about } : {}),
  };
}
