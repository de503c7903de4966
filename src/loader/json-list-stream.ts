/**
 * A large JSON `*List` file (`kubectl get pods -A -o json`) read item by item from the file, never held whole: a
 * first pass reads it in chunks, checks that it is plainly one JSON List (valid UTF-8, strict JSON structure,
 * `apiVersion` and `kind` strings, an `items` array, nothing after it) and notes where each item starts and ends,
 * with its line and column; a second pass reads one item at a time and parses it. Positions inside an item are
 * found in the item's own text and moved by where the item starts, so no whole-file text or line index exists.
 *
 * Whatever the first pass does not recognise (YAML flow, comments, invalid UTF-8, a document that is not a List)
 * goes to the whole-text loader (`loadResources`), so results and error messages stay those of that loader: for a
 * List both read the same item texts with the same parser and report the same lines.
 */
import { closeSync, readSync } from 'node:fs';
import type { FieldPath } from '../vocabulary/field-path.js';
import { CHANGED_WHILE_READ, CHUNK_BYTES, FileWindow, NumberRows, openLargeFile } from './file-parts.js';
import { LineIndex } from './line-index.js';
import { DocumentLocator } from './locate.js';
import { inputLimit } from './safe-read.js';
import { listItemResources, SPLIT_JSON_LIST_BYTES, type InputError, type LoadedResource, type ResourceDocument } from './source.js';

/** Deeper than this the first pass gives up (the whole-text loader then refuses the document as it always did). */
const MAX_STRUCTURE_DEPTH = 4096;
/** `apiVersion` and `kind` values longer than this are not a List's: left to the whole-text loader. */
const MAX_ENVELOPE_VALUE_BYTES = 1024;

/** Per item: start and end byte offsets in the file, 1-based line and column (UTF-16 units) of its start. */
const START = 0;
const END = 1;
const LINE = 2;
const COLUMN = 3;

export interface JsonListIndex {
  readonly envelope: { readonly apiVersion: string; readonly kind: string };
  readonly items: NumberRows;
  /** Line and column of the List's opening brace (for positions outside its items). */
  readonly root: { readonly line: number; readonly column: number };
  /** The file's size when indexed: a file that changes before its items are read is an error. */
  readonly size: number;
}

// Byte classes and parser states of the first pass.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OBJECT = 1;
const ARRAY = 2;
const enum Expect {
  Value,
  ValueOrClose,
  Key,
  KeyOrClose,
  Colon,
  CommaOrClose,
  End,
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Bytes of numbers and of true/false/null: JSON.parse judges them item by item, as the whole-text loader does. */
function isTokenByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || byte === 0x2b || byte === 0x2d || byte === 0x2e;
}

/**
 * Reads the file in chunks and returns where its items are, or undefined when it is not plainly one JSON List of
 * at least SPLIT_JSON_LIST_BYTES characters (the whole-text loader then reads it, as before). `preferJson` is the
 * loader's: without it the List must start within the first 64 characters, as the loader's own test requires.
 */
export function indexJsonList(fd: number, preferJson: boolean, limit: number): JsonListIndex | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const stack = new Uint8Array(MAX_STRUCTURE_DEPTH + 1);
  const items = new NumberRows(4);
  let depth = 0;
  let expect = Expect.Value;
  let inString = false;
  let escaped = false;
  let inToken = false;
  // The List's own keys (depth 1) and the values kept from them.
  let key: number[] | undefined;
  let currentKey = '';
  let capture: number[] | undefined;
  const envelope = new Map<string, string>();
  let itemsSeen = false;
  let inItems = false;
  let itemOpen = false;
  // Position of the byte being read: offset in the file, line, UTF-16 units since the line started, units so far.
  let chunkStart = 0;
  let offset = 0;
  let line = 1;
  let units = 0;
  let totalUnits = 0;
  let root = { line: 1, column: 1 };
  for (;;) {
    const count = readSync(fd, buffer, 0, buffer.length, chunkStart);
    if (count === 0) break;
    if (chunkStart + count > limit) return undefined; // the whole-text loader says it is too large
    try {
      decoder.decode(buffer.subarray(0, count), { stream: true });
    } catch {
      return undefined; // invalid UTF-8: the whole-text loader names the lines
    }
    // The decoder drops a byte order mark, and so do the loader's offsets.
    const skip = chunkStart === 0 && count >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    for (let at = skip; at < count; at++) {
      offset = chunkStart + at;
      const byte = buffer[at] as number;
      const column = units + 1;
      if (byte === NEWLINE) {
        line++;
        units = 0;
        totalUnits++;
      } else if ((byte & 0xc0) !== 0x80) {
        const width = byte >= 0xf0 ? 2 : 1;
        units += width;
        totalUnits += width;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) {
          escaped = true;
          // An escaped key of the List itself would need unescaping to be compared: not plainly a List.
          if (key || capture) return undefined;
        } else if (byte === QUOTE) {
          inString = false;
          if (key) {
            currentKey = Buffer.from(key).toString('utf8');
            key = undefined;
          }
          if (capture) {
            envelope.set(currentKey, JSON.parse(`"${Buffer.from(capture).toString('utf8')}"`) as string);
            capture = undefined;
          }
          if (inItems && depth === 2 && itemOpen) closeItem(offset + 1);
        } else if (byte < 0x20) return undefined;
        else if (key) {
          key.push(byte);
          // A long key is none of the few the List's envelope needs.
          if (key.length > 64) key = undefined;
        } else if (capture) {
          capture.push(byte);
          if (capture.length > MAX_ENVELOPE_VALUE_BYTES) return undefined;
        }
        continue;
      }
      if (inToken) {
        if (isTokenByte(byte)) continue;
        inToken = false;
      }
      if (isJsonSpace(byte)) continue;
      if (totalUnits > 64 && depth === 0 && expect === Expect.Value && !preferJson) return undefined;
      switch (expect) {
        case Expect.Value:
        case Expect.ValueOrClose:
          if (expect === Expect.ValueOrClose && byte === 0x5d /* ] */) {
            if (!close(ARRAY)) return undefined;
            break;
          }
          if (depth === 0) {
            if (byte !== 0x7b /* { */) return undefined;
            root = { line, column };
          }
          if (inItems && depth === 2) {
            items.push(offset, offset, line, column);
            itemOpen = true;
          }
          if (depth === 1) {
            if (currentKey === 'items') {
              if (byte !== 0x5b /* [ */ || itemsSeen) return undefined;
              itemsSeen = true;
              inItems = true;
            } else if (currentKey === 'apiVersion' || currentKey === 'kind') {
              if (byte !== QUOTE || envelope.has(currentKey)) return undefined;
              capture = [];
            }
          }
          if (byte === 0x7b || byte === 0x5b) {
            if (depth === MAX_STRUCTURE_DEPTH) return undefined;
            stack[++depth] = byte === 0x7b ? OBJECT : ARRAY;
            expect = byte === 0x7b ? Expect.KeyOrClose : Expect.ValueOrClose;
            break;
          }
          if (byte === QUOTE) inString = true;
          else if (isTokenByte(byte)) inToken = true;
          else return undefined;
          expect = depth === 0 ? Expect.End : Expect.CommaOrClose;
          break;
        case Expect.Key:
        case Expect.KeyOrClose:
          if (expect === Expect.KeyOrClose && byte === 0x7d /* } */) {
            if (!close(OBJECT)) return undefined;
            break;
          }
          if (byte !== QUOTE) return undefined;
          inString = true;
          if (depth === 1) {
            key = [];
            currentKey = '';
          }
          expect = Expect.Colon;
          break;
        case Expect.Colon:
          if (byte !== 0x3a /* : */) return undefined;
          expect = Expect.Value;
          break;
        case Expect.CommaOrClose:
          // A scalar item ends where the whole-text loader's flow scanner ends it: at the comma or bracket.
          if (inItems && depth === 2 && itemOpen) closeItem(offset);
          if (byte === 0x2c /* , */) expect = stack[depth] === OBJECT ? Expect.Key : Expect.Value;
          else if (!close(byte === 0x7d ? OBJECT : byte === 0x5d ? ARRAY : 0)) return undefined;
          break;
        case Expect.End:
          return undefined; // something after the List
      }
    }
    chunkStart += count;
  }
  try {
    decoder.decode();
  } catch {
    return undefined;
  }
  const apiVersion = envelope.get('apiVersion');
  const kind = envelope.get('kind');
  if (expect !== Expect.End || inString || !itemsSeen || apiVersion === undefined || kind === undefined || !kind.endsWith('List')) return undefined;
  if (totalUnits < SPLIT_JSON_LIST_BYTES) return undefined;
  return { envelope: { apiVersion, kind }, items, root, size: chunkStart };

  function close(type: number): boolean {
    if (type === 0 || depth === 0 || stack[depth] !== type) return false;
    depth--;
    if (inItems && depth === 1) inItems = false;
    else if (inItems && depth === 2 && itemOpen) closeItem(offset + 1);
    expect = depth === 0 ? Expect.End : Expect.CommaOrClose;
    return true;
  }

  function closeItem(end: number): void {
    items.setLast(END, end);
    itemOpen = false;
  }
}

/** One item of a streamed List: its own text, and where it starts in the file. */
class ListItemDocument implements ResourceDocument {
  private lines: LineIndex | undefined;
  private locator: DocumentLocator | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly index: number,
    private readonly line: number,
    private readonly column: number,
    private readonly root: { readonly line: number; readonly column: number },
  ) {}

  position(path: FieldPath): { line: number; column: number } {
    // Paths come from the List (`items`, index, then the field); anything else is about the List itself.
    if (path[0] !== 'items' || path[1] !== this.index) return { ...this.root };
    this.locator ??= new DocumentLocator(this.text, 0, this.text.length);
    this.lines ??= new LineIndex(this.text, this.line, this.column);
    return this.lines.position(this.locator.locate(path.slice(2)).offset);
  }

  templateSource(): undefined {
    return undefined;
  }
}

/**
 * The objects of a large JSON List file, item by item, or undefined when the file is not one (or is not a regular
 * file, or is small): the caller then reads it whole as before.
 */
export function streamJsonListFile(path: string, name: string, preferJson: boolean, errors: InputError[]): Iterable<LoadedResource> | undefined {
  const file = openLargeFile(path);
  if (!file) return undefined;
  let index: JsonListIndex | undefined;
  try {
    index = indexJsonList(file.fd, preferJson, inputLimit('manifest'));
  } finally {
    if (!index) closeSync(file.fd);
  }
  return index && readItems(file.fd, name, index, errors);
}

function* readItems(fd: number, file: string, list: JsonListIndex, errors: InputError[]): Generator<LoadedResource> {
  const window = new FileWindow(fd, list.size);
  try {
    if (!window.unchanged()) return void errors.push({ file, line: null, column: null, message: CHANGED_WHILE_READ });
    for (let index = 0; index < list.items.count; index++) {
      const text = window.text(list.items.get(index, START), list.items.get(index, END));
      if (text === undefined) return void errors.push({ file, line: null, column: null, message: CHANGED_WHILE_READ });
      const document = new ListItemDocument(file, text, index, list.items.get(index, LINE), list.items.get(index, COLUMN), list.root);
      yield* listItemResources(text, index, list.envelope, document, errors);
    }
  } finally {
    closeSync(fd);
  }
}
