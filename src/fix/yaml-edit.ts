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

/**
 * The documents of a text, as the Document API sees them; a syntax error is an EditError. Its message never quotes
 * the text (the library's pretty errors do): it reaches fix's notes, and the text may hold a secret.
 */
export function parseDocuments(text: string): Document.Parsed[] {
  const documents = parseAllDocuments(text, { prettyErrors: false });
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
  const batch = new EditBatch(text, document);
  batch.add([edit]);
  const applied = batch.apply();
  return { text: applied.text, splice: applied.splices[0] ?? { start: 0, removed: '', inserted: '' } };
}

/**
 * Edits planned together against one parse of a document, as one set of splices that do not overlap: parsing a
 * document again after every edit (for fresh source ranges) cost most of `fix`'s time. The edits are first merged
 * into one tree, so that two edits creating the same missing parent (`securityContext`) write it once, and edits
 * adding keys to the same mapping or items to the same list become one splice, exactly as edits made one after the
 * other would have written them.
 */
export class EditBatch {
  private tree: EditTree = new Map();
  private planned: Splice[] = [];

  constructor(
    private readonly text: string,
    private readonly document: Document.Parsed,
  ) {}

  /** Adds edits that can all be placed with those added before; otherwise throws EditError and adds none of them. */
  add(edits: readonly EditOp[]): void {
    const tree = cloneTree(this.tree);
    for (const edit of edits) mergeEdit(tree, edit);
    const eol = this.text.includes('\r\n') ? '\r\n' : '\n';
    const splices: Splice[] = [];
    planTree(this.text, this.document.contents, tree, [], eol, 0, splices);
    this.tree = tree;
    this.planned = splices;
  }

  /** The text with every added edit, and the splices in the order made: undoing them from the last gives the text back. */
  apply(): { text: string; splices: AppliedSplice[] } {
    // From the end backwards, so each splice's offsets hold when it is made. At one offset, the deeper node's
    // insertion comes first in the text (a key added to a nested mapping before the key added to its parent).
    const order = [...this.planned].sort((a, b) => b.start - a.start || a.depth - b.depth);
    let text = this.text;
    const made: AppliedSplice[] = [];
    const endsWithoutBreak = !this.text.endsWith('\n');
    for (const [at, splice] of order.entries()) {
      // A file without a final line break gets one before the first block text added at its end (only the first).
      const deepestAtEnd = splice.start === this.text.length && order[at + 1]?.start !== splice.start;
      const prefix = splice.block && endsWithoutBreak && deepestAtEnd ? (this.text.includes('\r\n') ? '\r\n' : '\n') : '';
      const inserted = prefix + splice.text;
      made.push({ start: splice.start, removed: text.slice(splice.start, splice.end), inserted });
      text = text.slice(0, splice.start) + inserted + text.slice(splice.end);
    }
    return { text, splices: made };
  }
}

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** How deep the edited node lies: orders insertions that share an offset. */
  readonly depth: number;
  /** Block-style lines (they need a line break before them at the end of a file without one). */
  readonly block: boolean;
}

/** Edits merged by path: a value to set, keys to descend into, or items to append to a list. */
type EditTree = Map<string | number, TreeNode>;
type TreeNode = { readonly kind: 'value'; readonly value: EditValue } | { readonly kind: 'tree'; readonly children: EditTree } | { readonly kind: 'append'; readonly items: EditValue[] };

function cloneTree(tree: EditTree): EditTree {
  const copy: EditTree = new Map();
  for (const [key, node] of tree) {
    copy.set(key, node.kind === 'tree' ? { kind: 'tree', children: cloneTree(node.children) } : node.kind === 'append' ? { kind: 'append', items: [...node.items] } : node);
  }
  return copy;
}

function mergeEdit(tree: EditTree, edit: EditOp): void {
  if (edit.path.length === 0) throw new EditError('cannot replace the whole document');
  let children = tree;
  for (const [depth, key] of edit.path.slice(0, -1).entries()) children = subtree(children, key, edit.path.slice(0, depth + 1));
  const last = edit.path[edit.path.length - 1] as string | number;
  const existing = children.get(last);
  if (edit.op === 'set') {
    // A later set of the same path wins, as it would have overwritten the earlier one.
    if (existing?.kind === 'tree' || existing?.kind === 'append') throw new EditError(`${edit.path.join('.')} is set and edited at once`);
    children.set(last, { kind: 'value', value: edit.value });
    return;
  }
  if (existing === undefined) children.set(last, { kind: 'append', items: [edit.value] });
  else if (existing.kind === 'append') existing.items.push(edit.value);
  else if (existing.kind === 'value' && Array.isArray(existing.value)) children.set(last, { kind: 'value', value: [...(existing.value as readonly EditValue[]), edit.value] });
  else throw new EditError(`${edit.path.join('.')} is not a list`);
}

/** The children under `key`, made a tree if needed: a mapping set earlier becomes keys to descend into. */
function subtree(children: EditTree, key: string | number, path: EditPath): EditTree {
  const node = children.get(key);
  if (node === undefined) {
    const made: EditTree = new Map();
    children.set(key, { kind: 'tree', children: made });
    return made;
  }
  if (node.kind === 'tree') return node.children;
  if (node.kind === 'value' && isObjectValue(node.value)) {
    const made: EditTree = new Map(Object.entries(node.value).map(([inner, value]) => [inner, { kind: 'value', value } as TreeNode]));
    children.set(key, { kind: 'tree', children: made });
    return made;
  }
  throw new EditError(`${path.join('.')} already holds a value`);
}

/** The tree as the value to write where none of it exists yet. */
function valueOf(node: TreeNode): EditValue {
  if (node.kind === 'value') return node.value;
  if (node.kind === 'append') return node.items;
  const value: { [key: string]: EditValue } = {};
  for (const [key, child] of node.children) {
    if (typeof key === 'number') throw new EditError('cannot create a list item by index');
    value[key] = valueOf(child);
  }
  return value;
}

function planTree(text: string, node: unknown, tree: EditTree, path: EditPath, eol: string, depth: number, out: Splice[]): void {
  const missing: [string, EditValue][] = [];
  for (const [key, child] of tree) {
    const at = [...path, key];
    let target: unknown;
    if (typeof key === 'number') {
      if (!isSeq(node) || node.items[key] === undefined) throw new EditError(`no item ${key} at ${path.join('.')}`);
      target = node.items[key];
    } else {
      if (!isMap(node)) throw new EditError(`${path.join('.') || 'the document'} is not a mapping`);
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) {
        missing.push([key, valueOf(child)]);
        continue;
      }
      if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
        if (child.kind !== 'value' || isObjectValue(child.value) || Array.isArray(child.value)) {
          throw new EditError(`${at.join('.')} is empty: fill it by hand`);
        }
        const start = isScalar(pair.value) ? (pair.value.range?.[0] ?? 0) : 0;
        const end = isScalar(pair.value) ? (pair.value.range?.[1] ?? start) : start;
        out.push({ start, end, text: (start === end ? ' ' : '') + scalarText(child.value as string | number | boolean), depth, block: false });
        continue;
      }
      target = pair.value;
    }
    if (child.kind === 'tree') planTree(text, target, child.children, at, eol, depth + 1, out);
    else if (child.kind === 'append') {
      if (!isSeq(target)) throw new EditError(`${at.join('.')} is not a list`);
      out.push({ ...appendItems(text, target, child.items, eol), depth: depth + 1 });
    } else if (isScalar(target) && !isObjectValue(child.value) && !Array.isArray(child.value)) {
      const range = target.range ?? [0, 0, 0];
      out.push({ start: range[0], end: range[1], text: scalarText(child.value as string | number | boolean), depth, block: false });
    } else {
      throw new EditError(`${at.join('.')} already holds a ${isMap(target) ? 'mapping' : isSeq(target) ? 'list' : 'value'}`);
    }
  }
  if (missing.length > 0) {
    if (!isMap(node)) throw new EditError(`${path.join('.') || 'the document'} is not a mapping`);
    out.push({ ...insertPairs(text, node, missing, eol), depth });
  }
}

function isObjectValue(value: unknown): value is { readonly [key: string]: EditValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function insertPairs(text: string, map: YAMLMap, pairs: readonly [string, EditValue][], eol: string): Omit<Splice, 'depth'> {
  const range = map.range ?? [0, 0, 0];
  const names = pairs.map(([key]) => key).join(', ');
  if (map.flow) {
    const close = text.lastIndexOf('}', range[1] - 1);
    if (close < range[0]) throw new EditError(`cannot find the end of the mapping holding ${names}`);
    const entries = pairs.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ');
    return { start: close, end: close, text: map.items.length > 0 ? `, ${entries}` : entries, block: false };
  }
  const last = map.items.at(-1);
  const lastNode = (last?.value ?? last?.key) as YamlNode | undefined;
  if (!last || !lastNode?.range) throw new EditError(`cannot write into the empty mapping that should hold ${names}`);
  const indent = columnOf(text, (last.key as YamlNode).range?.[0] ?? range[0]);
  const at = lineEnd(text, lastNode.range[1]);
  return { start: at, end: at, text: pairs.flatMap(([key, value]) => blockPair(key, value, indent, eol)).join(''), block: true };
}

function appendItems(text: string, seq: YAMLSeq, values: readonly EditValue[], eol: string): Omit<Splice, 'depth'> {
  const range = seq.range ?? [0, 0, 0];
  if (seq.flow) {
    const close = text.lastIndexOf(']', range[1] - 1);
    if (close < range[0]) throw new EditError('cannot find the end of the list');
    return { start: close, end: close, text: (seq.items.length > 0 ? ', ' : '') + values.map((value) => JSON.stringify(value)).join(', '), block: false };
  }
  const last = seq.items.at(-1) as YamlNode | undefined;
  if (!last?.range) throw new EditError('cannot append to an empty block list');
  // A block list starts at its first dash, and all its dashes share that column. The last item's own text is no
  // guide: it may start with a dash (`- -1`) or hold one in an anchor (`- &my-anchor x`).
  if (text[range[0]] !== '-') throw new EditError('cannot find the dash of the list');
  const at = lineEnd(text, last.range[1]);
  return { start: at, end: at, text: values.flatMap((value) => blockItem(value, columnOf(text, range[0]), eol)).join(''), block: true };
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
