/**
 * Just enough JSON structure, without parsing values: how deep a pretty-printed value is after each of its lines
 * (so the reader knows where it ends), and where each element of a list's `items` array lies in the text (so list
 * items get their own line and size).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Follows the nesting of a JSON value fed line by line; strings may hold brackets and escaped quotes. */
export class JsonDepth {
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Feeds one line; true when the value is complete at its end. */
  feed(line: string): boolean {
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) this.depth--;
    }
    return this.depth <= 0 && !this.inString;
  }
}

/** Character offsets `[start, end)` of one element. */
export type Span = readonly [number, number];

/**
 * The spans of the elements of the top-level object's `items` array, in order. Assumes `text` is valid JSON (it
 * has been parsed already); returns undefined when there is no such array.
 */
export function itemSpans(text: string): Span[] | undefined {
  let depth = 0;
  let key: string | undefined;
  let inItems = false;
  let found = false;
  let start = -1;
  let end = -1; // end of the last scalar or string element seen, for elements that are not containers
  const spans: Span[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const close = stringEnd(text, i);
      if (depth === 1 && nextSignificant(text, close) === COLON) key = JSON.parse(text.slice(i, close)) as string;
      if (inItems && depth === 2) {
        if (start < 0) start = i;
        end = close;
      }
      i = close - 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (inItems && depth === 2 && start < 0) start = i;
      if (depth === 1 && c === OPEN_BRACKET && key === 'items') inItems = found = true;
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (inItems && depth === 2) end = i + 1;
      if (inItems && depth === 1) {
        if (start >= 0) spans.push([start, end]);
        inItems = false;
        start = -1;
      }
    } else if (inItems && depth === 2) {
      if (c === COMMA) {
        if (start >= 0) spans.push([start, end]);
        start = -1;
      } else if (!isWhitespace(c)) {
        if (start < 0) start = i;
        end = i + 1;
      }
    }
  }
  return found ? spans : undefined;
}

/** Offset just past the closing quote of the string opening at `open`. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return text.length;
}

function nextSignificant(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isWhitespace(c)) return c;
  }
  return undefined;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
