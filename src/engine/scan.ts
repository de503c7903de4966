import { readInput, type Input } from '../loader/inputs.js';
import { loadResources, type InputError } from '../loader/source.js';
import type { TemplatePaths } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import { CONTROLS } from '../controls/index.js';
import { evaluateResource } from './evaluate.js';
import type { Finding } from './finding.js';
import { selectControls, type Selection } from './select.js';
import { Inventory } from './inventory.js';
import { ScoreBoard, type Scores } from './scores.js';
import { DEFAULT_SETTINGS, type FrameworkId, type InventoryControl, type InventoryViolation, type ScanSettings } from './types.js';

export interface ScanOptions {
  readonly framework: FrameworkId;
  /** Namespaces, NetworkPolicies, quotas and ServiceAccounts live outside the input (`--namespace-objects-elsewhere`). */
  readonly namespaceObjectsElsewhere?: boolean;
  readonly settings?: ScanSettings;
  readonly version: KubeVersion;
  readonly templatePaths: TemplatePaths;
  /** Called after each input, for progress display. */
  readonly onInputDone?: (done: number, total: number) => void;
}

export interface ScanStats {
  readonly inputs: number;
  readonly resources: number;
  readonly podTemplates: number;
}

export interface ScanResult {
  readonly findings: Finding[];
  readonly errors: InputError[];
  readonly stats: ScanStats;
  readonly selection: Selection;
  readonly scores: Scores;
}

/** Reads the inputs one at a time and keeps only findings: memory stays flat however many objects stream by. */
export async function scanInputs(inputs: readonly Input[], errors: InputError[], options: ScanOptions): Promise<ScanResult> {
  const namespaceObjectsElsewhere = options.namespaceObjectsElsewhere ?? false;
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const selection = selectControls(CONTROLS, options.framework, options.version, { namespaceObjectsElsewhere, settings });
  const context = { controls: selection.active, version: options.version, templatePaths: options.templatePaths, settings };
  const inventoryControls = selection.active.filter((control): control is InventoryControl => control.scope === 'inventory');
  // Cross-resource controls need a summary of the whole input; collect it only when one of them runs.
  const inventory = inventoryControls.length > 0 ? new Inventory() : undefined;
  const findings: Finding[] = [];
  let resources = 0;
  let podTemplates = 0;
  const board = new ScoreBoard();
  for (const [index, input] of inputs.entries()) {
    const bytes = await readInput(input, errors);
    if (bytes === undefined) continue;
    for (const resource of loadResources(input.name, bytes, errors, input.preferJson)) {
      resources++;
      const evaluation = evaluateResource(resource, context);
      if (evaluation.podTemplate) podTemplates++;
      for (const finding of evaluation.findings) findings.push(finding);
      if (evaluation.ran.length > 0) board.recordRun(evaluation.ran, evaluation.findings);
      inventory?.add(resource, evaluation.podTemplate);
    }
    options.onInputDone?.(index + 1, inputs.length);
  }
  if (inventory) {
    for (const control of inventoryControls) {
      const result = control.check(inventory, { version: options.version, namespaceObjectsElsewhere });
      const failedSubjects = new Set(result.violations.map((v) => `${v.subject.location.file}:${v.subject.location.line}:${v.subject.resource.kind}/${v.subject.resource.name}`));
      board.record(control.meta.id, result.assessed, failedSubjects.size);
      for (const violation of result.violations) findings.push(inventoryFinding(control, violation));
    }
  }
  const scores = board.scores(selection.active);
  return { findings, errors, stats: { inputs: inputs.length, resources, podTemplates }, selection, scores };
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
  };
}
