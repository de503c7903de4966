import type { Input } from '../loader/inputs.js';
import { readInput } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import { podTemplateOf, type TemplatePaths } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import { scanInputs, type ScanOptions } from '../scan/scan.js';
import { isRecord, str } from '../util/object.js';
import type { Finding } from '../vocabulary/finding.js';
import { type ApplicableRisk, type ControlFix } from './fix-module.js';
import { CONTROL_FIXES, FIX_BY_CONTROL } from './fixes/index.js';
import { splitDocuments } from '../loader/split-documents.js';
import { EditBatch, EditError, parseDocuments, type AppliedSplice } from './yaml-edit.js';

/** What became of one finding: gone after the fix, or still there and why. */
export type OutcomeStatus = 'fixed' | 'review' | 'manual' | 'open';

export interface FixOutcome {
  readonly finding: Finding;
  readonly status: OutcomeStatus;
  /** The fix's summary when fixed; otherwise why the finding is still there. */
  readonly reason: string;
  readonly risk?: ControlFix['risk'];
}

export interface FixedFile {
  readonly name: string;
  readonly original: string;
  readonly fixed: string;
  /** Every splice, in the order made: undoing them from the last gives back the original, byte for byte. */
  readonly splices: readonly AppliedSplice[];
}

export interface FixResult {
  readonly files: readonly FixedFile[];
  readonly outcomes: readonly FixOutcome[];
  /** Findings of the re-scan of the fixed files (what `scan` would still report). */
  readonly remaining: readonly Finding[];
  readonly errors: readonly InputError[];
}

export interface FixOptions {
  readonly scan: ScanOptions;
  /** The most a fix may risk to be applied. */
  readonly risk: ApplicableRisk;
  /** Which findings are selected (`--severity`); the others are neither fixed nor reported. */
  readonly selects?: (finding: Finding) => boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Scans the inputs, applies the fixes of the findings, and scans the fixed text again: a finding counts as fixed
 * only when the re-scan no longer reports it, so the summary never claims more than the scan confirms.
 */
export async function fixInputs(inputs: readonly Input[], errors: InputError[], options: FixOptions): Promise<FixResult> {
  const texts = new Map<string, { text: string; preferJson: boolean }>();
  for (const input of inputs) {
    const bytes = await readInput(input, errors);
    if (bytes === undefined) continue;
    try {
      texts.set(input.name, { text: utf8.decode(bytes), preferJson: input.preferJson });
    } catch {
      errors.push({ file: input.name, line: 1, column: null, message: 'is not valid UTF-8: fix edits only UTF-8 text' });
    }
  }
  const selects = options.selects ?? (() => true);
  const before = (await findingsOf(texts, errors, options.scan)).filter(selects);
  // Like `scan`, an input error (exit 2) does not stop the rest: every readable object is still fixed.

  const notes = new Map<Finding, Note>();
  const fixed = new Map<string, { text: string; preferJson: boolean }>();
  const files: FixedFile[] = [];
  // Grouped once: filtering every finding for every file is quadratic (21,580 files × 108,854 findings at 50,000 objects).
  const byFile = new Map<string, Finding[]>();
  for (const finding of before) {
    const list = byFile.get(finding.location.file);
    if (list) list.push(finding);
    else byFile.set(finding.location.file, [finding]);
  }
  for (const [name, source] of texts) {
    const findings = byFile.get(name) ?? [];
    const splices: AppliedSplice[] = [];
    const text = findings.length > 0 ? fixText(source.text, findings, options, notes, splices) : source.text;
    fixed.set(name, { text, preferJson: source.preferJson });
    files.push({ name, original: source.text, fixed: text, splices });
  }
  const rescanErrors: InputError[] = [];
  const remaining = (await findingsOf(fixed, rescanErrors, options.scan)).filter(selects);
  // The fixes must not break a file: any error the original did not have is a defect of ours, never to be written.
  const knownErrors = new Set(errors.map((error) => `${error.file}:${error.message}`));
  const newErrors = rescanErrors.filter((error) => !knownErrors.has(`${error.file}:${error.message}`));
  if (newErrors.length > 0) throw new Error(`the fixed files do not load: ${newErrors.map((error) => `${error.file}:${error.line}: ${error.message}`).join('; ')}`);
  const left = new Set(remaining.map(findingKey));
  const outcomes: FixOutcome[] = before.map((finding) => {
    const fix = FIX_BY_CONTROL.get(finding.controlId);
    if (!left.has(findingKey(finding))) return { finding, status: 'fixed', reason: fix && fix.risk !== 'manual' ? fix.summary : 'cleared by the other fixes', ...(fix ? { risk: fix.risk } : {}) };
    const note = notes.get(finding) ?? { status: 'open', reason: 'the fix did not clear it' };
    return { finding, ...note, ...(fix ? { risk: fix.risk } : {}) };
  });
  const known = new Set(before.map(findingKey));
  for (const finding of remaining.filter((found) => !known.has(findingKey(found)))) {
    outcomes.push({ finding, status: 'open', reason: 'new after the fix' });
  }
  return { files, outcomes, remaining, errors };
}

async function findingsOf(texts: ReadonlyMap<string, { text: string; preferJson: boolean }>, errors: InputError[], options: ScanOptions): Promise<Finding[]> {
  const inputs: Input[] = [...texts].map(([name, { text, preferJson }]) => ({ name, preferJson, read: async () => Buffer.from(text, 'utf8') }));
  const result = await scanInputs(inputs, errors, { ...options, onInputDone: undefined });
  const findings = result.findings.filter((finding) => !finding.suppression);
  result.store.close();
  return findings;
}

/** Same control, resource, file and field: the fixes only add keys and list items, so paths do not move. */
function findingKey(finding: Finding): string {
  const { resource } = finding;
  return [finding.controlId, finding.location.file, resource.kind, resource.namespace ?? '', resource.name ?? '', finding.field, finding.message].join('\u0000');
}

/** The text with every applicable fix of these findings applied; why each untouched finding was left goes to `notes`. */
function fixText(text: string, findings: readonly Finding[], options: FixOptions, notes: Map<Finding, Note>, splices: AppliedSplice[]): string {
  const starts = documentStarts(text);
  const byDocument = new Map<number, Finding[]>();
  for (const finding of findings) {
    let index = 0;
    while (index + 1 < starts.length && (starts[index + 1]?.line ?? Infinity) <= finding.location.line) index++;
    const list = byDocument.get(index);
    if (list) list.push(finding);
    else byDocument.set(index, [finding]);
  }
  // Each document is edited as a text of its own: parsing it costs one document, not the file.
  let output = '';
  for (const [index, { offset }] of starts.entries()) {
    const piece = text.slice(index === 0 ? 0 : offset, starts[index + 1]?.offset ?? text.length);
    const documentFindings = byDocument.get(index);
    output += documentFindings ? fixDocument(piece, documentFindings, options, notes, splices, output.length) : piece;
  }
  return output;
}

type Note = { status: OutcomeStatus; reason: string };

function noteAll(notes: Map<Finding, Note>, list: readonly Finding[], status: OutcomeStatus, reason: string): void {
  for (const finding of list) notes.set(finding, { status, reason });
}

/** One document's text with its findings' fixes applied; splices are recorded at `base` + their offset. */
function fixDocument(text: string, findings: readonly Finding[], options: FixOptions, notes: Map<Finding, Note>, splices: AppliedSplice[], base: number): string {
  for (const finding of findings) {
    const fix = FIX_BY_CONTROL.get(finding.controlId);
    if (!fix) noteAll(notes, [finding], 'manual', `no automatic fix: ${finding.remediation}`);
    else if (fix.risk === 'manual') noteAll(notes, [finding], 'manual', fix.decision);
    else if (fix.risk === 'review' && options.risk === 'safe') noteAll(notes, [finding], 'review', `a ${fix.risk} fix (${fix.summary}): apply it with --risk review`);
  }
  const applicable = CONTROL_FIXES.flatMap((fix) => {
    if (fix.risk === 'manual' || (fix.risk === 'review' && options.risk === 'safe')) return [];
    const mine = findings.filter((finding) => finding.controlId === fix.controlId);
    return mine.length > 0 ? [{ fix, mine }] : [];
  });
  if (applicable.length === 0) return text;
  // One parse for every fix of the document: each fix plans against the same template, and all their edits are
  // placed together (EditBatch), so no edit waits for a parse of the text the one before it made.
  let batch: EditBatch;
  let template: ReturnType<typeof templateOf>;
  try {
    const parsed = parseDocuments(text);
    const document = parsed[0];
    if (!document) return text;
    batch = new EditBatch(text, document);
    template = templateOf(document.toJS() as unknown, options.scan.templatePaths);
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    noteAll(notes, applicable.flatMap(({ mine }) => mine), 'open', `not edited: ${error.message}`);
    return text;
  }
  for (const { fix, mine } of applicable) {
    if (!template) {
      noteAll(notes, mine, 'open', 'not edited: the object is not a workload this fix can find the pod template of (a List item?)');
      continue;
    }
    const plan = fix.plan({ template, version: options.scan.version as KubeVersion });
    if (plan.manual.length > 0) noteAll(notes, mine, 'manual', plan.manual.join('; '));
    try {
      batch.add(plan.edits);
    } catch (error) {
      if (!(error instanceof EditError)) throw error;
      noteAll(notes, mine, 'open', `not edited: ${error.message}`);
    }
  }
  const applied = batch.apply();
  for (const splice of applied.splices) splices.push({ ...splice, start: base + splice.start });
  return applied.text;
}

function templateOf(object: unknown, templatePaths: TemplatePaths) {
  if (!isRecord(object)) return undefined;
  const path = templatePaths.pathFor(str(object.apiVersion) ?? '', str(object.kind) ?? '');
  return path ? podTemplateOf(object, path) : undefined;
}

/** Where each document of the text starts, as the scan splits it (so a finding's line names its document). */
function documentStarts(text: string): { line: number; offset: number }[] {
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const spans = splitDocuments(text);
  if (spans.length === 0) return [{ line: 1, offset: 0 }];
  return spans.map(({ start: offset }) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, offset };
  });
}
