import { loadInput, type Input } from '../loader/inputs.js';
import type { InputError, LoadedResource } from '../loader/source.js';
import type { TemplatePaths } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import { CONTROLS } from '../controls/index.js';
import { evaluateResource, resourceRef } from './evaluate.js';
import type { Finding, ResourceRef } from './finding.js';
import { FindingStore } from './finding-store.js';
import { selectControls, type Selection } from './select.js';
import { DuplicateObjects } from './duplicates.js';
import { Inventory } from './inventory.js';
import { ScoreBoard, type Scores } from './scores.js';
import { DEFAULT_SETTINGS, type Control, type FrameworkId, type InventoryControl, type InventoryViolation, type ScanSettings } from './types.js';
import { ExceptionSet, IGNORE_ANNOTATION, parseIgnoreAnnotation, type ExceptionStatus, type InlineException } from '../exceptions/exception-set.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, HostReader } from '../components/component-config.js';
import { componentFromStaticPod } from '../components/static-pod.js';
import { evaluateComponent } from './component-evaluate.js';
import type { ComponentControl } from './types.js';

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
  return scanResources(manifestBatches(inputs, errors, options.onInputDone), errors, options, inputs.length);
}

/** The resources of each input in turn; progress is reported once the scan has consumed an input. */
async function* manifestBatches(inputs: readonly Input[], errors: InputError[], onInputDone: ScanOptions['onInputDone']): AsyncGenerator<Iterable<LoadedResource>> {
  for (const [index, input] of inputs.entries()) {
    const resources = await loadInput(input, errors);
    if (resources !== undefined) yield resources;
    onInputDone?.(index + 1, inputs.length);
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
  const componentControls = selection.active.filter((control): control is ComponentControl => control.scope === 'component');
  const context = { controls: selection.active, version: options.version, templatePaths: options.templatePaths, settings };
  const inventoryControls = selection.active.filter((control): control is InventoryControl => control.scope === 'inventory');
  // Cross-resource controls need a summary of the whole input; collect it only when one of them runs.
  const inventory = inventoryControls.length > 0 ? new Inventory(options.searchedIn) : undefined;
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
    if (ran.length === 0) return;
    const judged = found.map((finding) => exceptions.apply(finding, inline));
    for (const finding of judged) findings.add(finding);
    board.recordRun(ran, judged.filter((finding) => !finding.suppression));
    assessed?.push({ resource: component.resource, file: component.locate({ config: [] }).location.file, controls: ran });
  };
  const duplicates = new DuplicateObjects();
  for await (const batch of batches) {
    for (const resource of batch) {
      resources++;
      duplicates.add(resource);
      const evaluation = evaluateResource(resource, context);
      if (evaluation.podTemplate) podTemplates++;
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
      if (options.components) {
        const component = componentFromStaticPod(resource, options.components.reader);
        if (component) judgeComponent(component, inline);
      }
    }
  }
  for (const component of options.components?.extra ?? []) judgeComponent(component, undefined);
  if (inventory) {
    for (const control of inventoryControls) {
      const result = control.check(inventory, { version: options.version, namespaceObjectsElsewhere });
      const failedSubjects = new Set<string>();
      for (const violation of result.violations) {
        const { location, resource } = violation.subject;
        const inline = violation.about?.startsWith('Namespace/')
          ? annotatedNamespaces.get(violation.about.slice('Namespace/'.length))
          : annotated.get(`${location.file}\u0000${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name ?? ''}`);
        const finding = exceptions.apply(inventoryFinding(control, violation), inline);
        findings.add(finding);
        if (!finding.suppression) failedSubjects.add(`${location.file}:${location.line}:${resource.kind}/${resource.name}`);
      }
      board.record(control.meta.id, result.assessed, failedSubjects.size);
    }
  }
  const scores = board.scores(selection.active);
  return { store: findings, get findings() { return [...findings.all()]; }, errors, stats: { inputs: typeof inputCount === 'number' ? inputCount : inputCount(), resources, podTemplates }, selection, scores, exceptions: exceptions.statuses(), ...(assessed ? { assessed } : {}), warnings: duplicates.result() };
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
function inlineException(resource: LoadedResource, errors: InputError[]): InlineException | undefined {
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
