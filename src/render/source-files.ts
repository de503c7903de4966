/**
 * The files a rendered object is traced back to (an overlay's bases and patches, a chart's templates), each read
 * and split into documents once per scan, and a field's line in one of their documents.
 */
import { readFileSync } from 'node:fs';
import type { FieldPath } from '../vocabulary/field-path.js';
import { LineIndex } from '../loader/line-index.js';
import { DocumentLocator } from '../loader/locate.js';
import { parseYaml } from '../loader/parse-document.js';
import { splitDocuments } from '../loader/split-documents.js';

export interface TextDocument {
  /** The parsed value, or undefined when the document does not parse. */
  readonly value: unknown;
  /** Where a path is: the deepest existing part of it, and how many of its elements exist. */
  locate(path: FieldPath): { line: number; column: number; depth: number };
}

export interface TextFile {
  readonly text: string;
  readonly lines: LineIndex;
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
  const lines = new LineIndex(text);
  const documents = splitDocuments(text).map(({ start, end }): TextDocument => {
    const parsed = parseYaml(text.slice(start, end));
    let locator: DocumentLocator | undefined;
    return {
      value: parsed.ok ? parsed.value : undefined,
      locate(path) {
        locator ??= new DocumentLocator(text, start, end);
        const found = locator.locate(path);
        return { ...lines.position(found.offset), depth: found.depth };
      },
    };
  });
  return { text, lines, documents };
}
