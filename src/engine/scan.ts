import { describeFsError, type Input } from '../loader/inputs.js';
import { loadResources, type InputError } from '../loader/source.js';
import type { TemplatePaths } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import { CONTROLS } from '../controls/index.js';
import { evaluateResource } from './evaluate.js';
import type { Finding } from './finding.js';
import { selectControls, type Selection } from './select.js';
import type { FrameworkId } from './types.js';

export interface ScanOptions {
  readonly framework: FrameworkId;
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
}

/** Reads the inputs one at a time and keeps only findings: memory stays flat however many objects stream by. */
export async function scanInputs(inputs: readonly Input[], errors: InputError[], options: ScanOptions): Promise<ScanResult> {
  const selection = selectControls(CONTROLS, options.framework, options.version);
  const context = { controls: selection.active, version: options.version, templatePaths: options.templatePaths };
  const findings: Finding[] = [];
  let resources = 0;
  let podTemplates = 0;
  for (const [index, input] of inputs.entries()) {
    let bytes: Uint8Array;
    try {
      bytes = await input.read();
    } catch (error) {
      errors.push({ file: input.name, line: null, column: null, message: `cannot read: ${describeFsError(error)}` });
      continue;
    }
    for (const resource of loadResources(input.name, bytes, errors, input.preferJson)) {
      resources++;
      const evaluation = evaluateResource(resource, context);
      if (evaluation.assessed) podTemplates++;
      for (const finding of evaluation.findings) findings.push(finding);
    }
    options.onInputDone?.(index + 1, inputs.length);
  }
  return { findings, errors, stats: { inputs: inputs.length, resources, podTemplates }, selection };
}
