/**
 * The files a rendered object is traced back to (an overlay's bases and patches, a chart's templates), each read
 * once per scan, and a field's line in one of their documents. A file is split into documents only when a trace asks
 * for its documents (a chart's templates are matched by their lines and are not YAML at all), and a document is
 * parsed only when its value is asked for.
 */
import { readFileSync } from 'node:fs';
import type { FieldPath } from '../vocabulary/field-path.js';
import { LineIndex } from '../loader/line-index.js';
import { DocumentLocator } from '../loader/locate.js';
import { parseYaml } from '../loader/parse-document.js';
import { splitDocuments } from '../loader/split-documents.js';

export interface TextDocument {
  /** The document's own text, as written. */
  readonly text: string;
  /** The parsed value, or undefined when the document does not parse. */
  readonly value: unknown;
  /** Where a path is: the deepest existing part of it, and how many of its elements exist. */
  locate(path: FieldPath): { line: number; column: number; depth: number };
}

export interface TextFile {
  readonly text: string;
  /** The text's lines, without their line breaks. */
  readonly lines: readonly string[];
  readonly documents: readonly TextDocument[];
}

export class SourceFiles {
  private readonly files = new Map<string, TextFile | null>();

  /** The file's documents, or undefined when it cannot be read. */
  get(path: string): TextFile | undefined {
    let file = this.files.get(path);
    if (file === undefined) {
      file = readTextFile(path);
      this.files.set(path, file);
    }
    return file ?? undefined;
  }
}

function readTextFile(path: string): TextFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  let lines: string[] | undefined;
  let documents: TextDocument[] | undefined;
  return {
    text,
    get lines() {
      return (lines ??= text.split('\n'));
    },
    get documents() {
      return (documents ??= parseDocuments(text));
    },
  };
}

/**
 * The file's documents, each parsed when its value is first asked for: a base file holds many objects, and a trace
 * looks for one of them in order, so the documents after it are not parsed for it.
 */
function parseDocuments(text: string): TextDocument[] {
  let index: LineIndex | undefined;
  return splitDocuments(text).map(({ start, end }): TextDocument => {
    let parsed: { value: unknown } | undefined;
    let locator: DocumentLocator | undefined;
    return {
      get text() {
        return text.slice(start, end);
      },
      get value() {
        if (parsed === undefined) {
          const result = parseYaml(text.slice(start, end));
          parsed = { value: result.ok ? result.value : undefined };
        }
        return parsed.value;
      },
      locate(path) {
        locator ??= new DocumentLocator(text, start, end);
        const found = locator.locate(path);
        return { ...(index ??= new LineIndex(text)).position(found.offset), depth: found.depth };
      },
    };
  });
}
