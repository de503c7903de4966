/**
 * Splits a YAML stream into documents at `---` and `...` markers in column 0. YAML forbids those markers inside
 * any scalar at column 0, so a line scan is exact, and it lets one broken document fail alone.
 */
export interface DocumentSpan {
  /** Offset of the document's first character (its `---` marker, if it has one). */
  readonly start: number;
  /** Offset just past the document's last character. */
  readonly end: number;
}

/**
 * At the start of the text or of a \n-terminated line only: `m` would also match after \r, U+2028 and U+2029.
 * yaml-stream.ts finds markers in bytes by the same rule.
 */
const MARKER = /(?:^|(?<=\n))(?:---|\.\.\.)(?=[ \t\r\n]|$)/g;

export function splitDocuments(text: string): DocumentSpan[] {
  const spans: DocumentSpan[] = [];
  let start = 0;
  MARKER.lastIndex = 0;
  let contentStart = 0;
  for (let match = MARKER.exec(text); match !== null; match = MARKER.exec(text)) {
    pushSpan(spans, text, start, contentStart, match.index);
    // A `---` line stays with its document: tags, anchors or content may follow the marker on that line.
    // After `...` nothing may follow, so the next document starts behind it.
    const isStart = text[match.index] === '-';
    start = isStart ? match.index : match.index + 3;
    contentStart = match.index + 3;
  }
  pushSpan(spans, text, start, contentStart, text.length);
  return spans;
}

function pushSpan(spans: DocumentSpan[], text: string, start: number, contentStart: number, end: number): void {
  if (hasContent(text, Math.max(start, contentStart), end)) spans.push({ start, end });
}

/** True unless the range holds only blank lines, comments and directives. */
export function hasContent(text: string, start: number, end: number): boolean {
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    let first = lineStart;
    while (first < lineEnd && (text[first] === ' ' || text[first] === '\t' || text[first] === '\r')) first++;
    const char = text[first];
    const directive = first === lineStart && char === '%';
    if (first < lineEnd && char !== '#' && !directive) return true;
    lineStart = lineEnd + 1;
  }
  return false;
}
