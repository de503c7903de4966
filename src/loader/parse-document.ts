import yaml from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';

/** Deeper than any real Kubernetes object (CRD schemas stay well under 100 levels). */
export const MAX_DEPTH = 256;
/** Node count after alias expansion above which a document is treated as an alias bomb. */
export const MAX_EXPANDED_NODES = 1_000_000;

export type ParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string; /** Offset within the document text, if known. */ readonly offset?: number };

export function parseYaml(text: string): ParseResult {
  const marks = lineStartByteOrderMarks(text);
  if (marks.length > 0) text = withoutMarks(text, marks);
  let value: unknown;
  try {
    // maxDepth is a js-yaml 4.3 option that @types/js-yaml does not know yet.
    const options = { schema: KUBERNETES_YAML_SCHEMA, maxDepth: MAX_DEPTH } as yaml.LoadOptions;
    value = yaml.load(text, options);
  } catch (error) {
    const described = describeError(error);
    if (described.ok || described.offset === undefined || marks.length === 0) return described;
    return { ...described, offset: offsetBeforeRemoval(described.offset, marks) };
  }
  // Aliases are shared references, so an alias bomb costs nothing until something walks it; refuse it here.
  if (mayHaveAliases(text)) {
    const problem = aliasProblem(value);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, value };
}

export function parseJson(text: string): ParseResult {
  try {
    const value: unknown = JSON.parse(text);
    const depth = maxDepth(value, MAX_DEPTH + 1);
    if (depth > MAX_DEPTH) return { ok: false, message: `document is nested deeper than ${MAX_DEPTH} levels` };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof SyntaxError) return jsonSyntaxError(error.message, text.length);
    return describeError(error);
  }
}

/**
 * V8's JSON.parse message, made to say it is JSON, with its position as the offset. The message's own position and
 * the input V8 quotes in some messages ("Unexpected token 'x', "{"a": tru"... is not valid JSON": a token's value
 * could be in it) are left out. Only "Unexpected token" names no position; its offset stays unknown.
 */
function jsonSyntaxError(message: string, length: number): ParseResult {
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : /^Unexpected end of JSON input/.test(message) ? length : undefined;
  const reason = message
    .replace(/, \S*".*" is not valid JSON$/s, '')
    .replace(/(?: in JSON)? at position \d+.*$/s, '')
    .replace(/ of JSON input$/, ' of input');
  return { ok: false, message: `JSON syntax error: ${reason}`, ...(offset !== undefined ? { offset } : {}) };
}

function describeError(error: unknown): ParseResult {
  if (error instanceof yaml.YAMLException) {
    const reason = error.reason || 'invalid YAML';
    const message = /maxDepth/.test(reason) ? `document is nested deeper than ${MAX_DEPTH} levels` : `YAML syntax error: ${reason}`;
    return { ok: false, message, offset: error.mark?.position };
  }
  if (error instanceof RangeError) return { ok: false, message: 'document is nested too deeply to read' };
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Offsets of the byte order marks that start a line. libyaml and go-yaml (so kubectl) read a BOM in column 0 as
 * nothing, and files joined after a `---` keep each file's own; js-yaml would make it part of the first key
 * (`\uFEFFapiVersion`), and the object would pass for one without apiVersion, skipped without a word.
 */
function lineStartByteOrderMarks(text: string): number[] {
  const marks: number[] = [];
  for (let at = text.indexOf('\uFEFF'); at !== -1; at = text.indexOf('\uFEFF', at + 1)) {
    if (at === 0 || text[at - 1] === '\n') marks.push(at);
  }
  return marks;
}

function withoutMarks(text: string, marks: readonly number[]): string {
  let kept = '';
  let from = 0;
  for (const mark of marks) {
    kept += text.slice(from, mark);
    from = mark + 1;
  }
  return kept + text.slice(from);
}

/** The offset in the text as written of an offset in the text without its marks. */
function offsetBeforeRemoval(offset: number, marks: readonly number[]): number {
  let original = offset;
  for (const mark of marks) {
    if (mark > original) break;
    original++;
  }
  return original;
}

/** Aliases need anchors; most manifests have none, so skip the walk for them. */
function mayHaveAliases(text: string): boolean {
  return text.includes('&') && text.includes('*');
}

/** Walks the value once per distinct node, counting the size it would have with every alias expanded. */
function aliasProblem(root: unknown): string | undefined {
  const sizes = new Map<object, number>();
  const inProgress = new Set<object>();
  let problem: string | undefined;
  const sizeOf = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) {
      problem ??= 'document contains a recursive alias';
      return MAX_EXPANDED_NODES;
    }
    inProgress.add(node);
    let size = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      size += sizeOf(child);
      if (size > MAX_EXPANDED_NODES) break;
    }
    inProgress.delete(node);
    sizes.set(node, size);
    return size;
  };
  const total = sizeOf(root);
  if (problem) return problem;
  if (total > MAX_EXPANDED_NODES) {
    return `aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (possible "billion laughs" alias bomb)`;
  }
  return undefined;
}

/** Iterative depth measure, stopping at `limit`, so deep JSON cannot overflow the stack here. */
function maxDepth(root: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest >= limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
