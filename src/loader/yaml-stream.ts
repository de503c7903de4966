/**
 * A large multi-document YAML file (`helm template`, `kubectl get ... -o yaml` per object, a concatenated bundle)
 * read document by document from the file, never held whole: a first pass reads it in chunks, checks that it is
 * valid UTF-8 and notes where each document starts (offset, line, column) at the `---` and `...` markers that
 * split-documents.ts splits at; a second pass reads one document at a time and parses it as the whole-text loader
 * does, with a line index of the document alone that starts at the document's line.
 *
 * Files that may be JSON (a `.json` name, or `{`/`[` first) and files that are not valid UTF-8 go to the whole-text
 * loader, which tries JSON first and names the lines of invalid bytes.
 */
import { closeSync, readSync } from 'node:fs';
import { CHANGED_WHILE_READ, CHUNK_BYTES, FileWindow, NumberRows, openLargeFile } from './file-parts.js';
import { LineIndex } from './line-index.js';
import { inputLimit } from './safe-read.js';
import { SourceDocument, yamlDocumentResources, type InputError, type LoadedResource } from './source.js';
import { hasContent } from './split-documents.js';

// Per document: where it starts (its `---` marker, if any), where its content may start (after the marker) and
// where it ends, as byte offsets; the line and column of its start.
const START = 0;
const CONTENT = 1;
const END = 2;
const LINE = 3;
const COLUMN = 4;

const NEWLINE = 0x0a;

/** Byte offsets and lines of the documents, or undefined when the file must go to the whole-text loader. */
export function indexYamlDocuments(fd: number, size: number, preferJson: boolean, limit: number): NumberRows | undefined {
  if (preferJson || size > limit) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  // The last bytes of the previous chunk: a marker may straddle two chunks.
  let tail = Buffer.alloc(0);
  let from = 0;
  let chunkEnd = 0;
  const byteAt = (at: number): number | undefined => (at >= from ? (at < chunkEnd ? buffer[at - from] : undefined) : tail[at - (from - tail.length)]);
  const documents = new NumberRows(5);
  // The document being noted: where it starts, where its content may start, and the line and column of its start.
  let start = 0;
  let content = 0;
  let startLine = 1;
  let startColumn = 1;
  let line = 1;
  const lookAt = (lineStart: number): void => {
    const first = byteAt(lineStart);
    if ((first !== 0x2d && first !== 0x2e) || byteAt(lineStart + 1) !== first || byteAt(lineStart + 2) !== first) return;
    const next = byteAt(lineStart + 3);
    if (next !== undefined && next !== 0x20 && next !== 0x09 && next !== 0x0d && next !== NEWLINE) return;
    documents.push(start, content, lineStart, startLine, startColumn);
    // A `---` line stays with its document; after `...` the next document starts behind it (split-documents.ts).
    start = first === 0x2d ? lineStart : lineStart + 3;
    startLine = line;
    startColumn = first === 0x2d ? 1 : 4;
    content = lineStart + 3;
  };
  const complete = (lineStart: number): boolean => lineStart + 4 <= chunkEnd || chunkEnd >= size;
  let pending: number | undefined;
  while (from < size) {
    const count = readSync(fd, buffer, 0, buffer.length, from);
    if (count === 0) return undefined; // shorter than it said: the whole-file read reports what it finds
    chunkEnd = from + count;
    try {
      decoder.decode(buffer.subarray(0, count), { stream: true });
    } catch {
      return undefined; // invalid UTF-8: the whole-text loader names the lines
    }
    let at = from;
    if (from === 0) {
      // The decoder drops a byte order mark, and so do the whole-text loader's offsets.
      if (count >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) at = start = content = 3;
      if (mayBeJson(buffer, at, count)) return undefined;
      pending = at;
    }
    if (pending !== undefined && complete(pending)) {
      lookAt(pending);
      pending = undefined;
    }
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, at - from);
      if (newline === -1 || newline >= count) break;
      line++;
      at = from + newline + 1;
      if (complete(at)) lookAt(at);
      else pending = at;
    }
    tail = Buffer.from(buffer.subarray(Math.max(0, count - 4), count));
    from = chunkEnd;
  }
  if (pending !== undefined) lookAt(pending);
  try {
    decoder.decode();
  } catch {
    return undefined;
  }
  documents.push(start, content, size, startLine, startColumn);
  buffer = tail = Buffer.alloc(0);
  return documents;
}

/** Whether the whole-text loader would try the text as JSON: `{` or `[` after blank space within 64 characters. */
function mayBeJson(buffer: Buffer, from: number, count: number): boolean {
  const head = buffer.toString('utf8', from, Math.min(count, from + 256)).slice(0, 64);
  return /^\s*[{[]/.test(head);
}

/**
 * The objects of a large multi-document YAML file, document by document, or undefined when the file is not one
 * to read that way (not a regular file, small, maybe JSON, not valid UTF-8): the caller then reads it whole.
 */
export function streamYamlFile(path: string, name: string, preferJson: boolean, errors: InputError[]): Iterable<LoadedResource> | undefined {
  const file = openLargeFile(path);
  if (!file) return undefined;
  let documents: NumberRows | undefined;
  try {
    documents = indexYamlDocuments(file.fd, file.size, preferJson, inputLimit('manifest'));
  } finally {
    if (!documents) closeSync(file.fd);
  }
  return documents && readDocuments(file.fd, file.size, name, documents, errors);
}

function* readDocuments(fd: number, size: number, file: string, documents: NumberRows, errors: InputError[]): Generator<LoadedResource> {
  const window = new FileWindow(fd, size);
  try {
    if (!window.unchanged()) return void errors.push({ file, line: null, column: null, message: CHANGED_WHILE_READ });
    for (let index = 0; index < documents.count; index++) {
      const start = documents.get(index, START);
      const text = window.text(start, documents.get(index, END));
      if (text === undefined) return void errors.push({ file, line: null, column: null, message: CHANGED_WHILE_READ });
      // As split-documents.ts: a part with only blank lines, comments and directives is no document.
      const content = documents.get(index, CONTENT) - start;
      if (!hasContent(text, Math.max(0, content), text.length)) continue;
      const lines = new LineIndex(text, documents.get(index, LINE), documents.get(index, COLUMN));
      const span = { start: 0, end: text.length };
      yield* yamlDocumentResources(new SourceDocument(file, text, lines, 0, text.length), text, lines, span, errors);
    }
  } finally {
    closeSync(fd);
  }
}
