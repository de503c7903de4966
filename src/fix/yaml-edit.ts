import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Edits a manifest's text where the `yaml` package's Document API says each node lies (its source ranges), as a
 * splice of new text: nothing outside the edited node is re-serialised, so comments, key order, quoting, styles,
 * blank lines, document markers and CRLF stay byte for byte (re-stringifying a Document re-indents sequences).
 */

export type EditPath = readonly (string | number)[];
export type EditValue = string | number | boolean | readonly EditValue[] | { readonly [key: string]: EditValue };

/** One change a fix asks for: `set` a value (creating missing parents), or `append` an item to a list. */
export type EditOp = { readonly op: 'set'; readonly path: EditPath; readonly value: EditValue } | { readonly op: 'append'; readonly path: EditPath; readonly value: EditValue };

/** Why an edit could not be placed (a layout this editor does not write into): the finding stays open, and says so. */
export class EditError extends Error {}

/** The documents of a text, as the Document API sees them; a syntax error is an EditError. */
export function parseDocuments(text: string): Document.Parsed[] {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new EditError(`cannot parse: ${document.errors[0]?.message ?? 'YAML error'}`);
  }
  return documents;
}

/** One splice as made: at `start`, `removed` (the old text of an edited scalar, or nothing) became `inserted`. */
export interface AppliedSplice {
  readonly start: number;
  readonly removed: string;
  readonly inserted: string;
}

/** The text after one edit in document `index`, and the splice that made it; `parsed` is `text` already parsed. */
export function applyEdit(text: string, index: number, edit: EditOp, parsed?: readonly Document.Parsed[]): { text: string; splice: AppliedSplice } {
  const document = (parsed ?? parseDocuments(text))[index];
  if (!document) throw new EditError(`document ${index + 1} is gone`);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const splice = edit.op === 'set' ? planSet(text, document.contents, edit.path, edit.value, eol) : planAppend(text, document.contents, edit.path, edit.value, eol);
  return {
    text: text.slice(0, splice.start) + splice.text + text.slice(splice.end),
    splice: { start: splice.start, removed: text.slice(splice.start, splice.end), inserted: splice.text },
  };
}

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function planSet(text: string, root: unknown, path: EditPath, value: EditValue, eol: string): Splice {
  let node: unknown = root;
  for (const [depth, key] of path.entries()) {
    if (typeof key === 'number') {
      if (!isSeq(node) || node.items[key] === undefined) throw new EditError(`no item ${key} at ${path.slice(0, depth).join('.')}`);
      node = node.items[key];
      continue;
    }
    if (!isMap(node)) throw new EditError(`${path.slice(0, depth).join('.') || 'the document'} is not a mapping`);
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (!pair) return insertPair(text, node, key, nest(path.slice(depth + 1), value), eol);
    const rest = path.length === depth + 1 ? value : undefined;
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
      if (rest === undefined || isObjectValue(rest) || Array.isArray(rest)) throw new EditError(`${path.slice(0, depth + 1).join('.')} is empty: fill it by hand`);
      const at = isScalar(pair.value) ? (pair.value.range?.[0] ?? 0) : 0;
      return { start: at, end: isScalar(pair.value) ? (pair.value.range?.[1] ?? at) : at, text: (pair.value && (pair.value as YamlNode).range?.[0] === (pair.value as YamlNode).range?.[1] ? ' ' : '') + scalarText(rest as string | number | boolean) };
    }
    node = pair.value;
  }
  if (isScalar(node) && !isObjectValue(value) && !Array.isArray(value)) {
    const range = node.range ?? [0, 0, 0];
    return { start: range[0], end: range[1], text: scalarText(value as string | number | boolean) };
  }
  throw new EditError(`${path.join('.')} already holds a ${isMap(node) ? 'mapping' : isSeq(node) ? 'list' : 'value'}`);
}

function planAppend(text: string, root: unknown, path: EditPath, value: EditValue, eol: string): Splice {
  let node: unknown = root;
  for (const key of path) node = typeof key === 'number' ? (isSeq(node) ? node.items[key] : undefined) : isMap(node) ? node.get(key, true) : undefined;
  if (node === undefined) return planSet(text, root, path, [value], eol);
  if (!isSeq(node)) throw new EditError(`${path.join('.')} is not a list`);
  return appendItem(text, node, value, eol);
}

function nest(path: EditPath, value: EditValue): EditValue {
  let result = value;
  for (const key of [...path].reverse()) {
    if (typeof key === 'number') throw new EditError('cannot create a list item by index');
    result = { [key]: result };
  }
  return result;
}

function isObjectValue(value: unknown): value is { readonly [key: string]: EditValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function insertPair(text: string, map: YAMLMap, key: string, value: EditValue, eol: string): Splice {
  const range = map.range ?? [0, 0, 0];
  if (map.flow) {
    const close = text.lastIndexOf('}', range[1] - 1);
    if (close < range[0]) throw new EditError(`cannot find the end of the mapping holding ${key}`);
    const entry = `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    return { start: close, end: close, text: map.items.length > 0 ? `, ${entry}` : entry };
  }
  const last = map.items.at(-1);
  const lastNode = (last?.value ?? last?.key) as YamlNode | undefined;
  if (!last || !lastNode?.range) throw new EditError(`cannot write into the empty mapping that should hold ${key}`);
  const indent = columnOf(text, (last.key as YamlNode).range?.[0] ?? range[0]);
  const at = lineEnd(text, lastNode.range[1]);
  const prefix = at === text.length && !text.endsWith('\n') ? eol : '';
  return { start: at, end: at, text: prefix + blockPair(key, value, indent, eol).join('') };
}

function appendItem(text: string, seq: YAMLSeq, value: EditValue, eol: string): Splice {
  const range = seq.range ?? [0, 0, 0];
  if (seq.flow) {
    const close = text.lastIndexOf(']', range[1] - 1);
    if (close < range[0]) throw new EditError('cannot find the end of the list');
    return { start: close, end: close, text: (seq.items.length > 0 ? ', ' : '') + JSON.stringify(value) };
  }
  const last = seq.items.at(-1) as YamlNode | undefined;
  if (!last?.range) throw new EditError('cannot append to an empty block list');
  const dash = text.lastIndexOf('-', last.range[0]);
  const at = lineEnd(text, last.range[1]);
  return { start: at, end: at, text: blockItem(value, columnOf(text, dash), eol).join('') };
}

/** Lines of `key: value` in block style at `indent` columns, each ending with `eol`. */
function blockPair(key: string, value: EditValue, indent: number, eol: string): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value) && value.length > 0) {
    return [`${pad}${scalarText(key)}:${eol}`, ...value.flatMap((item: EditValue) => blockItem(item, indent + 2, eol))];
  }
  if (isObjectValue(value) && Object.keys(value).length > 0) {
    return [`${pad}${scalarText(key)}:${eol}`, ...Object.entries(value).flatMap(([inner, innerValue]) => blockPair(inner, innerValue, indent + 2, eol))];
  }
  return [`${pad}${scalarText(key)}: ${inlineText(value)}${eol}`];
}

/** A list item `- value` at `indent`; a mapping's first pair shares the dash's line, the rest align under it. */
function blockItem(value: EditValue, indent: number, eol: string): string[] {
  const pad = ' '.repeat(indent);
  if (isObjectValue(value) && Object.keys(value).length > 0) {
    const lines = Object.entries(value).flatMap(([key, inner]) => blockPair(key, inner, indent + 2, eol));
    return [`${pad}- ${(lines[0] ?? '').slice(indent + 2)}`, ...lines.slice(1)];
  }
  if (Array.isArray(value) && value.length > 0) throw new EditError('cannot write a list inside a list');
  return [`${pad}- ${inlineText(value)}${eol}`];
}

/** A value on one line: a scalar, or an empty `{}` / `[]`. */
function inlineText(value: EditValue): string {
  if (isObjectValue(value)) return '{}';
  if (Array.isArray(value)) return '[]';
  return scalarText(value as string | number | boolean);
}

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;

/** A scalar as YAML reads it back unchanged: plain when unambiguous, else JSON-quoted (a YAML double-quoted string). */
export function scalarText(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The offset just after the line holding `offset - 1` (a node's end): past a trailing comment and line break. */
function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}
