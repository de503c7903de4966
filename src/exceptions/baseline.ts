import { describeReadError, readInputFile } from '../loader/safe-read.js';
import type { Finding } from '../vocabulary/finding.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { jsonParseProblem } from '../util/json-error.js';

/** `--format baseline`: today's findings by fingerprint, so later scans can gate only on new ones. */
export interface BaselineFile {
  readonly kind: 'KubehardenBaseline';
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  readonly findings: readonly { readonly fingerprint: string; readonly controlId: string; readonly resource: string; readonly file: string }[];
}

type FingerprintedFinding = Finding & { fingerprint: string };

export function createBaseline(findings: Iterable<FingerprintedFinding>, now: Date = new Date()): BaselineFile {
  return { ...baselineHead(now), findings: [...baselineEntries(findings)] };
}

/** The baseline file as `JSON.stringify(createBaseline(...), null, 2)` writes it, an entry at a time. */
export function* renderBaselineChunks(findings: Iterable<FingerprintedFinding>, now: Date = new Date()): Generator<string> {
  const head = JSON.stringify({ ...baselineHead(now), findings: [] }, null, 2);
  let first = true;
  let parts: string[] = [];
  for (const entry of baselineEntries(findings)) {
    parts.push(`    ${JSON.stringify(entry, null, 2).replace(/\n/g, '\n    ')}`);
    if (parts.length === 500) {
      yield `${first ? `${head.slice(0, -4)}[\n` : ',\n'}${parts.join(',\n')}`;
      first = false;
      parts = [];
    }
  }
  if (parts.length > 0) {
    yield `${first ? `${head.slice(0, -4)}[\n` : ',\n'}${parts.join(',\n')}`;
    first = false;
  }
  yield first ? `${head}\n` : '\n  ]\n}\n';
}

function baselineHead(now: Date): Omit<BaselineFile, 'findings'> {
  return { kind: 'KubehardenBaseline', version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, createdAt: now.toISOString() };
}

function* baselineEntries(findings: Iterable<FingerprintedFinding>): Generator<BaselineFile['findings'][number]> {
  const seen = new Set<string>();
  for (const finding of findings) {
    // Accepted risks stay under their exception; a baseline holds only what would otherwise fail.
    if (finding.suppression || seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    const { kind, namespace, name } = finding.resource;
    yield {
      fingerprint: finding.fingerprint,
      controlId: finding.controlId,
      resource: `${kind}/${namespace ? `${namespace}/` : ''}${name ?? ''}`,
      file: finding.location.templateSource ?? finding.location.file,
    };
  }
}

export class BaselineError extends Error {}

/** The fingerprints recorded in a baseline file; a missing or malformed file is an error, never an empty baseline. */
export function readBaseline(path: string): ReadonlySet<string> {
  let text: string;
  try {
    text = readInputFile(path, 'baseline', { allowPipe: true }).toString('utf8');
  } catch (error) {
    throw new BaselineError(`cannot read baseline ${path}: ${describeReadError(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // A parse error names what was wrong, never the file's text (it may not be a baseline at all).
    throw new BaselineError(`cannot read baseline ${path}: ${error instanceof SyntaxError ? `not JSON: ${jsonParseProblem(error)}` : (error as Error).message}`);
  }
  const record = data as Partial<BaselineFile> | null;
  if (record === null || typeof record !== 'object' || record.kind !== 'KubehardenBaseline' || record.version !== 1 || !Array.isArray(record.findings)) {
    throw new BaselineError(`${path} is not a kubeharden baseline (write one with --format baseline)`);
  }
  const fingerprints = new Set<string>();
  for (const [index, entry] of record.findings.entries()) {
    if (typeof entry?.fingerprint !== 'string') throw new BaselineError(`${path}: findings[${index}] has no fingerprint`);
    fingerprints.add(entry.fingerprint);
  }
  return fingerprints;
}
