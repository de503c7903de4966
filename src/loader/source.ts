import type { FieldPath } from '../vocabulary/field-path.js';
import { isRecord, type Json } from '../util/object.js';
import { LineIndex } from './line-index.js';
import { DocumentLocator, parseFlowLevel, skipFlowValue } from './locate.js';
import { parseJson, parseYaml, type ParseResult } from './parse-document.js';
import { splitDocuments, type DocumentSpan } from './split-documents.js';
import { invalidUtf8Lines, utf16Encoding } from './utf8.js';

export interface InputError {
  readonly file: string;
  /** 1-based; null when the problem is with the whole input (e.g. it cannot be read). */
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

/** `file`, `file:line` or `file:line:column`, as far as the error knows. */
export function inputErrorLocation(error: InputError): string {
  if (error.line === null) return error.file;
  return error.column === null ? `${error.file}:${error.line}` : `${error.file}:${error.line}:${error.column}`;
}

/** Where a resource came from, and how to point at a field in it. */
export interface ResourceDocument {
  /** A file path, `<stdin>`, or for a live cluster the object's API path (`cluster:/api/v1/namespaces/a/pods/b`). */
  readonly file: string;
  /**
   * 1-based line and column of a field; 0 and 0 where there is no text to point into (a live object). `file` is set
   * when the field is written in another file than the document's own (a Kustomize patch that set it).
   */
  position(path: FieldPath): { line: number; column: number; file?: string };
  /** 1-based line where the document's content starts, found without indexing the document (it is cheap). */
  firstLine?(): number;
  templateSource(): string | undefined;
  /** For rendered input: the chart (and values files) or overlay the object was rendered from. */
  renderedFrom?(): string | undefined;
}

/** One YAML document or JSON text within a source file; positions are computed only when asked for. */
export class SourceDocument implements ResourceDocument {
  private locator: DocumentLocator | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly lines: LineIndex,
    readonly start: number,
    readonly end: number,
  ) {}

  /** 1-based line and column of the deepest existing part of `path`. */
  position(path: FieldPath): { line: number; column: number } {
    this.locator ??= new DocumentLocator(this.text, this.start, this.end);
    return this.lines.position(this.locator.locate(path).offset);
  }

  firstLine(): number {
    let at = this.text.startsWith('---', this.start) ? this.start + 3 : this.start;
    // Past blank space and comment lines, to the first line with content.
    for (;;) {
      while (at < this.end && this.text.charCodeAt(at) <= 0x20) at++;
      if (this.text[at] !== '#') break;
      const newline = this.text.indexOf('\n', at);
      if (newline === -1 || newline >= this.end) break;
      at = newline;
    }
    return this.lines.position(Math.min(at, Math.max(this.start, this.end - 1))).line;
  }

  /** The chart template that Helm names in its `# Source:` comment at the top of the document. */
  templateSource(): string | undefined {
    const from = this.text.startsWith('---', this.start) ? this.start + 3 : this.start;
    const head = this.text.slice(from, Math.min(this.end, from + 512));
    const match = /^#\s*Source:\s*(\S.*?)\s*$/m.exec(head);
    if (!match || head.slice(0, match.index).split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('#'))) {
      return undefined;
    }
    return match[1];
  }
}

/** A Kubernetes object found in the input: a document, or an item of a `*List` document. */
export interface LoadedResource {
  readonly object: Json;
  /** Path of the object within its document (`['items', 3]` for List items). */
  readonly prefix: FieldPath;
  readonly document: ResourceDocument;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const EMPTY = new Uint8Array(0);

/**
 * Reads every Kubernetes object from one input. Problems become `errors` entries and never stop the other
 * documents. Documents without apiVersion and kind (values files, kustomization.yaml) are skipped.
 */
export function* loadResources(file: string, bytes: Uint8Array, errors: InputError[], preferJson: boolean): Generator<LoadedResource> {
  let text: string;
  let badLines: Set<number> | undefined;
  const utf16 = utf16Encoding(bytes);
  try {
    text = (utf16 ? new TextDecoder(utf16, { fatal: true }) : utf8).decode(bytes);
  } catch {
    if (utf16) return void errors.push({ file, line: null, column: null, message: `invalid ${utf16.toUpperCase()} (it starts with a byte order mark): nothing in it was scanned` });
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    badLines = invalidUtf8Lines(bytes);
  }
  // Once decoded (and invalid UTF-8 lines found), the bytes are needed no more: let them go.
  bytes = EMPTY;
  const lines = new LineIndex(text);

  /** Why the text, which looked like JSON, is not JSON, and where (only when JSON named a place). */
  let jsonFailure: { readonly message: string; readonly offset: number } | undefined;
  if (!badLines && (preferJson || /^\s*[{[]/.test(text.slice(0, 64)))) {
    const document = new SourceDocument(file, text, lines, 0, text.length);
    const list = text.length >= SPLIT_JSON_LIST_BYTES ? splitJsonList(text) : undefined;
    if (list) {
      yield* jsonListItems(list, text, document, errors);
      return;
    }
    const parsed = parseJson(text);
    if (parsed.ok) {
      yield* resourcesOf(parsed.value, document, errors);
      return;
    }
    if (parsed.offset !== undefined) jsonFailure = { message: parsed.message, offset: parsed.offset };
  }

  const spans = splitDocuments(text);
  // JSON is YAML, so a file that is not JSON is read as YAML next (kubectl does the same). When that fails too, a
  // one-document file that looked like JSON gets JSON's reason at JSON's place (when JSON named one): a YAML reason
  // would mislead.
  if (jsonFailure && spans.length === 1) {
    const span = spans[0]!;
    const parsed = parseYaml(text.slice(span.start, span.end));
    if (parsed.ok) {
      yield* resourcesOf(parsed.value, new SourceDocument(file, text, lines, span.start, span.end), errors);
    } else {
      const at = lines.position(Math.min(jsonFailure.offset, Math.max(0, text.length - 1)));
      errors.push({ file, line: at.line, column: at.column, message: jsonFailure.message });
    }
    return;
  }
  for (const span of spans) {
    const document = new SourceDocument(file, text, lines, span.start, span.end);
    if (badLines) {
      const first = lines.position(span.start).line;
      const last = lines.position(Math.max(span.start, span.end - 1)).line;
      const bad = [...badLines].find((line) => line >= first && line <= last);
      if (bad !== undefined) {
        errors.push({ file, line: bad, column: 1, message: 'invalid UTF-8: the document was not scanned' });
        continue;
      }
    }
    yield* yamlDocumentResources(document, text, lines, span, errors);
  }
}

/**
 * The objects of one YAML document, the `span` of `text` (a whole file's, or the document's own text when a stream
 * is read document by document), or an error at the line where parsing failed.
 */
export function* yamlDocumentResources(document: SourceDocument, text: string, lines: LineIndex, span: DocumentSpan, errors: InputError[]): Generator<LoadedResource> {
  const parsed: ParseResult = parseYaml(span.start === 0 && span.end === text.length ? text : text.slice(span.start, span.end));
  if (!parsed.ok) {
    const at = lines.position(span.start + (parsed.offset ?? 0));
    errors.push({ file: document.file, line: at.line, column: at.column, message: parsed.message });
    return;
  }
  yield* resourcesOf(parsed.value, document, errors);
}

function* resourcesOf(value: unknown, document: SourceDocument, errors: InputError[]): Generator<LoadedResource> {
  if (value === null || value === undefined) return;
  if (!isRecord(value)) {
    const at = document.position([]);
    const found = Array.isArray(value) ? 'a sequence' : `a ${typeof value}`;
    errors.push({ file: document.file, line: at.line, column: at.column, message: `document is ${found}, not a Kubernetes object (a mapping)` });
    return;
  }
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return;
  yield* objectsOf(value, [], document);
}

/**
 * The object, or the objects of a `*List` with items, Lists inside it flattened as kubectl flattens them
 * (cli-runtime's FlattenListVisitor): it applies the objects of a List inside a List too.
 */
function* objectsOf(object: Json, prefix: FieldPath, document: ResourceDocument): Generator<LoadedResource> {
  const { apiVersion, kind, items } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !kind.endsWith('List') || !Array.isArray(items)) {
    yield { object, prefix, document };
    return;
  }
  for (let index = 0; index < items.length; index++) {
    const item = listItem({ apiVersion, kind }, items[index]);
    // The parsed List is ours alone: letting go of each item once it is handed on frees a List as it is
    // scanned instead of holding the whole tree to the end.
    items[index] = undefined;
    if (item) yield* objectsOf(item, [...prefix, 'items', index], document);
  }
}

/** An item of a `*List` as the object it stands for, or undefined when it is not one. */
function listItem(list: { apiVersion: string; kind: string }, item: unknown): Json | undefined {
  if (!isRecord(item)) return undefined;
  if (typeof item.apiVersion === 'string' && typeof item.kind === 'string') return item;
  // The API server leaves kind and apiVersion out of the items of a typed list (PodList): the list names them.
  const itemKind = list.kind === 'List' ? undefined : list.kind.slice(0, -'List'.length);
  if (itemKind && item.apiVersion === undefined && item.kind === undefined) return { apiVersion: list.apiVersion, kind: itemKind, ...item };
  return undefined;
}

/**
 * JSON texts from this size on that are one `*List` (`kubectl get pods -A -o json`) are parsed item by item: the
 * whole tree of a 100 MB List would take several times its size in memory, one item at a time takes one item's.
 */
export const SPLIT_JSON_LIST_BYTES = 4 << 20;

interface JsonListParts {
  readonly envelope: { apiVersion: string; kind: string };
  /** Offset of each item in the text. */
  readonly items: readonly number[];
}

/** The List's apiVersion and kind and where its items are, or undefined when the text is not plainly that. */
function splitJsonList(text: string): JsonListParts | undefined {
  const start = text.search(/\S/);
  // Anything after the List's closing brace makes the text something else (YAML, or an error): not split here.
  if (start === -1 || text[start] !== '{' || text.slice(skipFlowValue(text, start, text.length)).trim() !== '') return undefined;
  const root = parseFlowLevel(text, start, text.length);
  const items = root.entries?.get('items');
  if (!root.entries || !items) return undefined;
  const envelope: Record<string, unknown> = {};
  for (const key of ['apiVersion', 'kind']) {
    const at = root.entries.get(key)?.value;
    if (at === undefined) return undefined;
    try {
      envelope[key] = JSON.parse(text.slice(at, skipFlowValue(text, at, text.length)));
    } catch {
      return undefined;
    }
  }
  const { apiVersion, kind } = envelope;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !kind.endsWith('List') || text[items.value] !== '[') return undefined;
  const level = parseFlowLevel(text, items.value, text.length);
  return level.items ? { envelope: { apiVersion, kind }, items: level.items } : undefined;
}

function* jsonListItems(list: JsonListParts, text: string, document: SourceDocument, errors: InputError[]): Generator<LoadedResource> {
  for (const [index, start] of list.items.entries()) {
    yield* listItemResources(text.slice(start, skipFlowValue(text, start, text.length)), index, list.envelope, document, errors);
  }
}

/**
 * The object of one item of a List split item by item (here, or streamed from its file by json-list-stream.ts),
 * parsed from its own text, or the objects of a List that item is; a bad item is an error at the item's position.
 */
export function listItemResources(
  itemText: string,
  index: number,
  envelope: { apiVersion: string; kind: string },
  document: ResourceDocument,
  errors: InputError[],
): Iterable<LoadedResource> {
  // What is not JSON may still be YAML flow (a trailing comma), as the whole text would have been read.
  let parsed = parseJson(itemText);
  if (!parsed.ok) parsed = parseYaml(itemText);
  if (!parsed.ok) {
    const at = document.position(['items', index]);
    errors.push({ file: document.file, line: at.line, column: at.column, message: `items[${index}]: ${parsed.message}` });
    return [];
  }
  const item = listItem(envelope, parsed.value);
  return item ? objectsOf(item, ['items', index], document) : [];
}
