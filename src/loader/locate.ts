/**
 * Finds where a field path sits in a document's text, without a second full YAML parse: a line scanner indexes
 * block-style keys and sequence dashes, and a small flow scanner handles JSON and `{...}`/`[...]` values.
 * Only documents with findings are ever indexed. When a path does not exist in the text (a missing field, a
 * merge key), the deepest part that does exist is returned.
 */
import type { FieldPath } from '../vocabulary/field-path.js';

interface Entry {
  readonly kind: 'key' | 'dash';
  readonly key: string;
  /** Offset of the key's first character, or of the dash. */
  readonly offset: number;
  /** Offset of the start of the entry's line. */
  readonly lineStart: number;
  readonly col: number;
  /** What follows on the same line: nothing, a scalar, or a flow collection starting at `valueOffset`. */
  inline: 'none' | 'scalar' | 'flow';
  valueOffset: number;
}

type Node =
  | { readonly type: 'map' | 'seq'; readonly col: number; readonly from: number; readonly offset: number }
  | { readonly type: 'flow'; readonly offset: number }
  | { readonly type: 'leaf'; readonly offset: number };

export interface Located {
  /** Offset in the text of the deepest path element found. */
  readonly offset: number;
  /** How many path elements were found. */
  readonly depth: number;
}

export class DocumentLocator {
  private entries: Entry[] | undefined;

  private readonly start: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
  ) {
    // The document's `---` marker is not part of its content (content may follow it on the same line).
    this.start = text.startsWith('---', start) ? start + 3 : start;
  }

  locate(path: FieldPath): Located {
    // A flow document (JSON) never needs the block index: building it would index every line of a huge List.
    const flow = this.flowRoot();
    if (flow !== undefined) return this.locateInFlow(flow, path) ?? { offset: flow, depth: 0 };
    const entries = (this.entries ??= indexEntries(this.text, this.start, this.end));
    let node = this.rootNode(entries);
    let found: Located = { offset: node.offset, depth: 0 };
    for (let depth = 0; depth < path.length; depth++) {
      const segment = path[depth] as string | number;
      if (node.type === 'flow') {
        const rest = this.locateInFlow(node.offset, path.slice(depth));
        return rest ? { offset: rest.offset, depth: depth + rest.depth } : found;
      }
      if (node.type === 'leaf') return found;
      const children = this.childrenOf(entries, node);
      const index = node.type === 'map' ? (children.keys.get(String(segment)) ?? -1) : typeof segment === 'number' ? (children.items[segment] ?? -1) : -1;
      if (index === -1) return found;
      const entry = entries[index] as Entry;
      const value = valueOf(entries, index);
      found = { offset: node.type === 'map' ? entry.offset : value.offset, depth: depth + 1 };
      node = value;
    }
    return found;
  }

  /** The keys or items of a block node, collected once: many findings in one document reuse them. */
  private readonly children = new Map<number, { keys: Map<string, number>; items: number[] }>();

  private childrenOf(entries: Entry[], node: { type: 'map' | 'seq'; col: number; from: number }): { keys: Map<string, number>; items: number[] } {
    let children = this.children.get(node.from);
    if (!children) {
      children = { keys: new Map(), items: [] };
      for (let index = node.from; index < entries.length; index++) {
        const entry = entries[index] as Entry;
        if (entry.col < node.col) break;
        if (entry.col !== node.col) continue;
        if (node.type === 'map') {
          // Dashes at the map's own column are an indentless sequence value of the key before them.
          if (entry.kind === 'key' && !children.keys.has(entry.key)) children.keys.set(entry.key, index);
        } else {
          // A key at the sequence's column ends an indentless sequence (`containers:\n- name: a\nvolumes: ...`).
          if (entry.kind === 'key') break;
          children.items.push(index);
        }
      }
      this.children.set(node.from, children);
    }
    return children;
  }

  /**
   * Flow collections (JSON documents, inline values) are indexed one level at a time, as paths walk into them: a
   * 50 MB JSON List costs one scan of its `items` level and then only the items that have findings. Levels are
   * kept in a bounded cache, so the index of a huge document never grows with its findings.
   */
  private flowLevels = new Map<number, FlowLevel>();
  /** The levels of the previous generation: used ones move up, the rest go when the current one fills. */
  private olderFlowLevels = new Map<number, FlowLevel>();

  private locateInFlow(start: number, path: FieldPath): Located | undefined {
    let offset = start;
    let found: Located | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const segment = path[depth];
      const level = this.flowLevel(offset);
      const next = level.entries?.get(String(segment)) ?? (typeof segment === 'number' && level.items ? itemAt(level.items, segment) : undefined);
      if (!next) return found;
      found = { offset: next.at, depth: depth + 1 };
      offset = next.value;
    }
    return found;
  }

  private flowLevel(offset: number): FlowLevel {
    let level = this.flowLevels.get(offset);
    if (level) return level;
    // Two generations instead of a strict LRU: the levels every path crosses (a List's items) are used again
    // before their generation retires, so they move up; the items already judged are dropped with it.
    level = this.olderFlowLevels.get(offset) ?? parseFlowLevel(this.text, offset, this.end);
    if (this.flowLevels.size >= MAX_FLOW_LEVELS) {
      this.olderFlowLevels = this.flowLevels;
      this.flowLevels = new Map();
    }
    this.flowLevels.set(offset, level);
    return level;
  }

  /** Where the document's flow collection starts, when the whole document is one (`{...}` or `[...]`). */
  private flowRoot(): number | undefined {
    let first = this.start;
    while (first < this.end && isSpace(this.text.charCodeAt(first))) first++;
    const char = this.text[first];
    return char === '{' || char === '[' ? first : undefined;
  }

  private rootNode(entries: Entry[]): Node {
    let first = this.start;
    while (first < this.end && isSpace(this.text.charCodeAt(first))) first++;
    const entry = entries[0];
    if (!entry) return { type: 'leaf', offset: first };
    return { type: entry.kind === 'key' ? 'map' : 'seq', col: entry.col, from: 0, offset: entry.offset };
  }
}

function valueOf(entries: Entry[], index: number): Node {
  const entry = entries[index] as Entry;
  if (entry.inline === 'flow') return { type: 'flow', offset: entry.valueOffset };
  if (entry.inline === 'scalar') return { type: 'leaf', offset: entry.valueOffset };
  const next = entries[index + 1];
  if (next) {
    const sameLine = next.lineStart === entry.lineStart;
    const nested = next.col > entry.col || (entry.kind === 'key' && next.kind === 'dash' && next.col === entry.col);
    if (sameLine || nested) {
      return { type: next.kind === 'key' ? 'map' : 'seq', col: next.col, from: index + 1, offset: next.offset };
    }
  }
  return { type: 'leaf', offset: entry.offset };
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Indexes block-style keys and dashes, skipping block scalars, multi-line quoted scalars and flow collections. */
function indexEntries(text: string, start: number, end: number): Entry[] {
  const entries: Entry[] = [];
  let lineStart = start;
  let blockScalarParentCol = -1;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    let position = lineStart;
    while (position < lineEnd && text.charCodeAt(position) === 32) position++;
    const blank = isBlank(text, position, lineEnd);
    if (blockScalarParentCol >= 0 && (blank || position - lineStart > blockScalarParentCol)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockScalarParentCol = -1;
    if (blank || text[position] === '#') {
      lineStart = lineEnd + 1;
      continue;
    }
    const scan = scanLine(text, position, lineEnd, lineStart, entries);
    blockScalarParentCol = scan.blockScalarCol;
    if (scan.resumeAt > lineEnd) {
      // A flow collection or quoted scalar ran over several lines: go on with the line after it ends.
      const next = text.indexOf('\n', scan.resumeAt - 1);
      lineStart = next === -1 || next >= end ? end : next + 1;
      continue;
    }
    lineStart = lineEnd + 1;
  }
  return entries;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9 && code !== 13) return false;
  }
  return true;
}

interface LineScan {
  blockScalarCol: number;
  resumeAt: number;
}

function scanLine(text: string, from: number, lineEnd: number, lineStart: number, entries: Entry[]): LineScan {
  let position = from;
  let lastCol = -1;
  for (;;) {
    const char = text[position];
    if (char === '-' && isBreakOrSpace(text, position + 1, lineEnd)) {
      const entry: Entry = { kind: 'dash', key: '', offset: position, lineStart, col: position - lineStart, inline: 'none', valueOffset: position };
      entries.push(entry);
      lastCol = entry.col;
      position = skipSpaces(text, position + 1, lineEnd);
      if (position >= lineEnd || text[position] === '#' || text[position] === '\r') return { blockScalarCol: -1, resumeAt: lineEnd };
      if (text[position] === '-' && isBreakOrSpace(text, position + 1, lineEnd)) continue;
      const keyAt = skipProperties(text, position, lineEnd);
      if (!readKey(text, keyAt, lineEnd)) return classifyValue(text, position, lineEnd, entry, lastCol);
      position = keyAt;
      continue;
    }
    position = skipProperties(text, position, lineEnd);
    const key = readKey(text, position, lineEnd);
    if (!key) return { blockScalarCol: -1, resumeAt: lineEnd };
    const entry: Entry = { kind: 'key', key: key.key, offset: position, lineStart, col: position - lineStart, inline: 'none', valueOffset: key.valueStart };
    entries.push(entry);
    const valueStart = skipSpaces(text, key.valueStart, lineEnd);
    if (valueStart >= lineEnd || text[valueStart] === '#' || text[valueStart] === '\r') return { blockScalarCol: -1, resumeAt: lineEnd };
    return classifyValue(text, valueStart, lineEnd, entry, entry.col);
  }
}

function classifyValue(text: string, position: number, lineEnd: number, entry: Entry, parentCol: number): LineScan {
  // Skip node properties (anchors and tags); what follows them decides the kind of value.
  while (text[position] === '&' || text[position] === '!') {
    while (position < lineEnd && text[position] !== ' ' && text[position] !== '\t') position++;
    position = skipSpaces(text, position, lineEnd);
    if (position >= lineEnd || text[position] === '#' || text[position] === '\r') return { blockScalarCol: -1, resumeAt: lineEnd };
  }
  const char = text[position];
  entry.valueOffset = position;
  if (char === '|' || char === '>') {
    entry.inline = 'scalar';
    return { blockScalarCol: parentCol, resumeAt: lineEnd };
  }
  if (char === '[' || char === '{') {
    entry.inline = 'flow';
    return { blockScalarCol: -1, resumeAt: skipFlow(text, position, text.length) };
  }
  entry.inline = 'scalar';
  if (char === '"' || char === "'") return { blockScalarCol: -1, resumeAt: skipQuoted(text, position, text.length) };
  return { blockScalarCol: -1, resumeAt: lineEnd };
}

/** Skips anchors and tags (`&a`, `!!map`) in front of a key on the same line; otherwise stays put. */
function skipProperties(text: string, position: number, lineEnd: number): number {
  let index = position;
  while (text[index] === '&' || text[index] === '!') {
    while (index < lineEnd && text[index] !== ' ' && text[index] !== '\t') index++;
    index = skipSpaces(text, index, lineEnd);
  }
  return index < lineEnd && readKey(text, index, lineEnd) ? index : position;
}

function isBreakOrSpace(text: string, position: number, lineEnd: number): boolean {
  if (position >= lineEnd) return true;
  const char = text[position];
  return char === ' ' || char === '\t' || char === '\r';
}

function skipSpaces(text: string, position: number, limit: number): number {
  while (position < limit && (text[position] === ' ' || text[position] === '\t')) position++;
  return position;
}

/** A block mapping key at `position`: plain or quoted, followed by `:` and a space or line end. */
function readKey(text: string, position: number, lineEnd: number): { key: string; valueStart: number } | undefined {
  const char = text[position];
  if (char === '"' || char === "'") {
    const close = skipQuoted(text, position, lineEnd);
    if (close > lineEnd) return undefined;
    const colon = skipSpaces(text, close, lineEnd);
    if (text[colon] !== ':' || !isBreakOrSpace(text, colon + 1, lineEnd)) return undefined;
    return { key: unquote(text.slice(position, close)), valueStart: colon + 1 };
  }
  if (char === undefined || '[]{}#&*!|>%@`,?'.includes(char)) return undefined;
  let index = position;
  for (;;) {
    // Within the line only: indexOf would search on to the next colon anywhere after it, which in a text of many
    // lines without one (a file of 300,000 list documents) made indexing quadratic.
    while (index < lineEnd && text.charCodeAt(index) !== 58 /* : */) index++;
    if (index >= lineEnd) return undefined;
    if (isBreakOrSpace(text, index + 1, lineEnd)) break;
    index++;
  }
  for (let at = position; at < index; at++) {
    if (text.charCodeAt(at) === 35 /* # */ && text.charCodeAt(at - 1) === 32) return undefined;
  }
  return { key: text.slice(position, index).trimEnd(), valueStart: index + 1 };
}

function unquote(quoted: string): string {
  if (quoted.startsWith("'")) return quoted.slice(1, -1).replace(/''/g, "'");
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** Offset just past a quoted scalar that starts at `position`. */
function skipQuoted(text: string, position: number, limit: number): number {
  const quote = text[position];
  let index = position + 1;
  while (index < limit) {
    const char = text[index];
    if (quote === '"' && char === '\\') index += 2;
    else if (char === quote) {
      if (quote === "'" && text[index + 1] === "'") index += 2;
      else return index + 1;
    } else index++;
  }
  return limit + 1;
}

/** Offset just past the flow collection that starts at `position`. */
function skipFlow(text: string, position: number, limit: number): number {
  let depth = 0;
  let index = position;
  // Quotes open a scalar only at the start of a token; inside a plain scalar they are ordinary characters.
  let tokenStart = true;
  while (index < limit) {
    const char = text[index] as string;
    if ((char === '"' || char === "'") && tokenStart) {
      index = skipQuoted(text, index, limit);
      tokenStart = false;
      continue;
    }
    if (char === ':') tokenStart = isValueIndicator(text, index);
    else if (char !== ' ' && char !== '\t' && char !== '\r' && char !== '\n') tokenStart = '[{,'.includes(char);
    if (char === '#' && (text[index - 1] === ' ' || text[index - 1] === '\n')) {
      const newline = text.indexOf('\n', index);
      index = newline === -1 ? limit : newline;
      continue;
    }
    if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') {
      depth--;
      if (depth === 0) return index + 1;
    }
    index++;
  }
  return limit;
}

/** In flow context `:` separates a value when a space or indicator follows, or right after a JSON-like key. */
function isValueIndicator(text: string, index: number): boolean {
  const next = text[index + 1];
  const previous = text[index - 1];
  return next === undefined || ' \t\r\n,[]{}'.includes(next) || previous === '"' || previous === "'" || previous === ']' || previous === '}';
}

function skipFlowSpace(text: string, position: number, limit: number): number {
  while (position < limit) {
    const code = text.charCodeAt(position);
    if (isSpace(code)) position++;
    else if (text[position] === '#') {
      const newline = text.indexOf('\n', position);
      position = newline === -1 ? limit : newline;
    } else break;
  }
  return position;
}

/** Offset just past a flow value (collection, quoted or plain scalar). */
export function skipFlowValue(text: string, position: number, limit: number): number {
  const char = text[position];
  if (char === '[' || char === '{') return skipFlow(text, position, limit);
  if (char === '"' || char === "'") return skipQuoted(text, position, limit);
  while (position < limit && !',]}'.includes(text[position] as string)) position++;
  return position;
}

/** Flow levels kept per document; a level is a few offsets per key or item. */
const MAX_FLOW_LEVELS = 4096;

/** One flow collection's keys (first occurrence wins) or items: where each starts and where its value starts. */
export interface FlowLevel {
  readonly entries?: Map<string, { readonly at: number; readonly value: number }>;
  /** Item start offsets (an item's value starts where the item does). */
  readonly items?: number[];
}

const FLOW_SCALAR: FlowLevel = {};

function itemAt(items: readonly number[], index: number): { at: number; value: number } | undefined {
  const at = items[index];
  return at === undefined ? undefined : { at, value: at };
}

/** Indexes the flow collection at `position`, one level deep: nested values are skipped, not parsed. */
export function parseFlowLevel(text: string, position: number, limit: number): FlowLevel {
  position = skipFlowSpace(text, position, limit);
  const open = text[position];
  if (open === '{') {
    const entries = new Map<string, { at: number; value: number }>();
    position++;
    for (;;) {
      position = skipFlowSpace(text, position, limit);
      if (position >= limit || text[position] === '}') break;
      const keyStart = position;
      let key: string;
      if (text[position] === '"' || text[position] === "'") {
        position = skipQuoted(text, position, limit);
        key = unquote(text.slice(keyStart, position));
      } else {
        while (position < limit && !':,}'.includes(text[position] as string)) position++;
        key = text.slice(keyStart, position).trim();
      }
      position = skipFlowSpace(text, position, limit);
      let value = position;
      if (text[position] === ':') {
        value = skipFlowSpace(text, position + 1, limit);
        position = skipFlowValue(text, value, limit);
      }
      if (!entries.has(key)) entries.set(key, { at: keyStart, value });
      position = skipFlowSpace(text, position, limit);
      if (text[position] === ',') position++;
      else if (text[position] !== '}') break;
    }
    return { entries };
  }
  if (open === '[') {
    const items: number[] = [];
    position++;
    for (;;) {
      position = skipFlowSpace(text, position, limit);
      if (position >= limit || text[position] === ']') break;
      items.push(position);
      position = skipFlowSpace(text, skipFlowValue(text, position, limit), limit);
      if (text[position] === ',') position++;
      else if (text[position] !== ']') break;
    }
    return { items };
  }
  return FLOW_SCALAR;
}
