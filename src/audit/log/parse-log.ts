/**
 * Turns the bytes of an audit log, pushed chunk by chunk, into audit events with their line and size. Synchronous
 * and push-based so the async reader stays a thin loop and tests can cut the input anywhere.
 *
 * Accepted: JSON lines (kube-apiserver's log backend), a single JSON event or `audit.k8s.io` EventList (the webhook
 * backend's batch) on one line or pretty-printed over many, and blank lines anywhere; and the logs of managed
 * services, recognised value by value (EKS CloudWatch, AKS diagnostics and tables, GKE Cloud Logging: managed-logs.ts). A pretty-printed value must
 * open with a line holding only `{` or `[`, as every JSON pretty-printer writes it; that keeps a truncated JSON
 * line (a crash mid-write) from swallowing the lines after it.
 */
import { auditEventShapeProblems, type AuditEvent, type LoggedEvent } from '../event.js';
import type { InputError } from '../../loader/source.js';
import { JsonDepth, itemSpans } from './json-structure.js';
import { jsonParseProblem } from '../../util/json-error.js';
import { managedEvents, type ManagedEvents } from './managed-logs.js';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_ERRORS_PER_FILE = 20;

export interface ParseLogOptions {
  /** A longer line (or pretty-printed value) becomes an error and is skipped, so one cannot exhaust memory. */
  readonly maxLineBytes?: number;
  /** Problems listed in detail per file; the rest are only counted, so a garbage file cannot fill memory. */
  readonly maxErrorsPerFile?: number;
}

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = 0xfeff;

interface PrettyValue {
  readonly startLine: number;
  readonly depth: JsonDepth;
  parts: string[];
  bytes: number;
  oversized: boolean;
}

export class AuditLogParser {
  /** Lines completed so far; the line being read is `linesRead + 1`. */
  linesRead = 0;
  private batch: LoggedEvent[] = [];
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skippingLongLine = false;
  private pretty: PrettyValue | undefined;
  private readonly maxLineBytes: number;
  private readonly problems: ErrorBudget;

  constructor(
    readonly file: string,
    errors: InputError[],
    options: ParseLogOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.problems = new ErrorBudget(file, errors, options.maxErrorsPerFile ?? DEFAULT_MAX_ERRORS_PER_FILE);
  }

  /** Feeds the next chunk; returns the events completed by it (possibly none). */
  push(chunk: Buffer): LoggedEvent[] {
    let from = 0;
    if (this.carryBytes > 0 || this.skippingLongLine) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        this.hold(chunk);
        return this.take();
      }
      this.hold(chunk.subarray(0, newline + 1));
      this.completeHeldLine();
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < from) {
      if (from < chunk.length) this.hold(chunk.subarray(from));
      return this.take();
    }
    // One decode per chunk, lines as slices of it: measured faster than decoding each line or using readline.
    const text = chunk.toString('utf8', from, last + 1);
    this.lines(text, text.length === last + 1 - from);
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
    return this.take();
  }

  /** Ends the input: a last line without a newline still counts. Returns the remaining events. */
  finish(): LoggedEvent[] {
    if (this.skippingLongLine) {
      this.linesRead++;
      this.skippingLongLine = false;
    } else if (this.carryBytes > 0) {
      const line = this.takeHeld();
      this.linesRead++;
      this.line(line, Buffer.byteLength(line));
    }
    if (this.pretty && !this.pretty.oversized) {
      this.problems.add(this.pretty.startLine, null, `not JSON: the value that starts here has no end (the input ends at line ${this.linesRead})`);
    }
    this.pretty = undefined;
    this.problems.close();
    return this.take();
  }

  /** Ends the input after a read error: the partial last line is dropped (it was cut, not written that way). */
  abandon(): void {
    this.carry = [];
    this.carryBytes = 0;
    this.pretty = undefined;
    this.problems.close();
  }

  private take(): LoggedEvent[] {
    const events = this.batch;
    if (events.length > 0) this.batch = [];
    return events;
  }

  /** Keeps the unfinished end of a line until its newline arrives, within the line limit. */
  private hold(piece: Buffer): void {
    if (this.skippingLongLine) return;
    this.carry.push(piece);
    this.carryBytes += piece.length;
    if (this.carryBytes > this.maxLineBytes) {
      this.problems.add(this.linesRead + 1, null, `line longer than ${describeBytes(this.maxLineBytes)}: skipped`);
      this.carry = [];
      this.carryBytes = 0;
      this.skippingLongLine = true;
    }
  }

  /** The held pieces end with a newline now: the line is complete. */
  private completeHeldLine(): void {
    if (this.skippingLongLine) {
      this.linesRead++;
      this.skippingLongLine = false;
      return;
    }
    const text = this.takeHeld();
    this.lines(text, text.length === Buffer.byteLength(text));
  }

  private takeHeld(): string {
    const bytes = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    return bytes.toString('utf8');
  }

  /** `text` holds whole lines, each ending with `\n`; `ascii` says characters are bytes. */
  private lines(text: string, ascii: boolean): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.linesRead++;
      const line = text.slice(start, newline);
      this.line(line, ascii ? newline - start + 1 : Buffer.byteLength(line) + 1);
      start = newline + 1;
    }
  }

  private line(line: string, bytes: number): void {
    if (this.pretty) {
      this.prettyLine(line, bytes);
      return;
    }
    if (line.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.unparsable(line, bytes, error);
      return;
    }
    this.accept(value, line, this.linesRead, bytes);
  }

  /** The slow path: blank lines with `\r` or spaces, a byte order mark, the start of a pretty-printed value, or garbage. */
  private unparsable(line: string, bytes: number, error: unknown): void {
    if (this.linesRead === 1 && line.charCodeAt(0) === BYTE_ORDER_MARK) {
      this.line(line.slice(1), bytes);
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (trimmed === '{' || trimmed === '[') {
      this.pretty = { startLine: this.linesRead, depth: new JsonDepth(), parts: [], bytes: 0, oversized: false };
      this.prettyLine(line, bytes);
      return;
    }
    this.problems.add(this.linesRead, positionOf(error, 0, line)?.column ?? null, `not JSON: ${jsonParseProblem(error)}`);
  }

  private prettyLine(line: string, bytes: number): void {
    const pretty = this.pretty as PrettyValue;
    pretty.bytes += bytes;
    if (!pretty.oversized) {
      pretty.parts.push(line);
      if (pretty.bytes > this.maxLineBytes) {
        this.problems.add(pretty.startLine, null, `JSON value longer than ${describeBytes(this.maxLineBytes)}: skipped`);
        pretty.oversized = true;
        pretty.parts = [];
      }
    }
    if (!pretty.depth.feed(line)) return;
    this.pretty = undefined;
    if (pretty.oversized) return;
    const text = pretty.parts.join('\n');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const at = positionOf(error, pretty.startLine, text);
      this.problems.add(at?.line ?? pretty.startLine, at?.column ?? null, `not JSON: ${jsonParseProblem(error)}`);
      return;
    }
    this.accept(value, text, pretty.startLine, pretty.bytes);
  }

  private accept(value: unknown, text: string, line: number, bytes: number): void {
    if (isAuditEvent(value)) {
      this.acceptEvent(value, line, bytes, '');
      return;
    }
    if (isAuditEventList(value)) {
      this.acceptList(value.items, text, line);
      return;
    }
    const managed = managedEvents(value);
    if (managed) {
      this.acceptManaged(managed, line);
      return;
    }
    this.problems.add(line, null, `not an audit event (${describeValue(value)})`);
  }

  /** An event whose fields have the types the rules expect; any other is reported at its line and skipped. */
  private acceptEvent(event: AuditEvent, line: number, bytes: number, where: string): void {
    const problems = auditEventShapeProblems(event as Record<string, unknown>);
    if (problems.length === 0) this.batch.push({ event, file: this.file, line, bytes });
    else this.problems.add(line, null, `${where}audit event skipped: ${problems.join('; ')}`);
  }

  /**
   * Events from a managed service's log (EKS, AKS, GKE): each at the line where its wrapper starts, sized as the
   * API server would have written it (one JSON line), which is what volume estimates are about.
   */
  private acceptManaged(managed: ManagedEvents, line: number): void {
    for (const [index, item] of managed.items.entries()) {
      const where = managed.items.length > 1 ? `${managed.format} item ${index}: ` : `${managed.format}: `;
      if ('problem' in item) this.problems.add(line, null, `${where}${item.problem}`);
      else if (isAuditEvent(item.event)) this.acceptEvent(item.event, line, Buffer.byteLength(JSON.stringify(item.event)) + 1, where);
      else this.problems.add(line, null, `${where}not an audit event (${describeValue(item.event)})`);
    }
  }

  /**
   * Items of an EventList: each at the line where it starts, sized as its own text plus a newline (what it would
   * take as a line of a log file).
   */
  private acceptList(items: readonly unknown[], text: string, line: number): void {
    const spans = itemSpans(text);
    const located = spans !== undefined && spans.length === items.length;
    let itemLine = line;
    let scanned = 0;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      let bytes: number;
      if (located) {
        const [start, end] = spans[index] as readonly [number, number];
        itemLine += countNewlines(text, scanned, start);
        scanned = start;
        bytes = Buffer.byteLength(text.slice(start, end)) + 1;
      } else {
        bytes = Buffer.byteLength(JSON.stringify(item) ?? '') + 1;
      }
      if (isListedAuditEvent(item)) this.acceptEvent(item, itemLine, bytes, `items[${index}]: `);
      else this.problems.add(itemLine, null, `items[${index}] is not an audit event (${describeValue(item)})`);
    }
  }
}

/** Records the first problems of a file in full and counts the rest. */
class ErrorBudget {
  private listed = 0;
  private unlisted = 0;

  constructor(
    private readonly file: string,
    private readonly errors: InputError[],
    private readonly limit: number,
  ) {}

  add(line: number | null, column: number | null, message: string): void {
    if (this.listed < this.limit) {
      this.errors.push({ file: this.file, line, column, message });
      this.listed++;
    } else {
      this.unlisted++;
    }
  }

  /** Adds the count of problems not listed, once. */
  close(): void {
    if (this.unlisted === 0) return;
    const more = this.unlisted === 1 ? '1 more problem' : `${this.unlisted} more problems`;
    this.errors.push({ file: this.file, line: null, column: null, message: `${more} in this file not listed (only the first ${this.limit} are)` });
    this.unlisted = 0;
  }
}

function isAuditApiVersion(apiVersion: unknown): boolean {
  // Events written by hand or by older tools may leave apiVersion out; a core `v1` Event is something else.
  return apiVersion === undefined || (typeof apiVersion === 'string' && apiVersion.startsWith('audit.k8s.io/'));
}

function isAuditEvent(value: unknown): value is AuditEvent {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Event' && isAuditApiVersion((value as { apiVersion?: unknown }).apiVersion);
}

/**
 * An item of an EventList: kube-apiserver's webhook backend writes the list's kind and apiVersion only, not each
 * item's, so an item without them is an event; one that names another kind is not.
 */
function isListedAuditEvent(value: unknown): value is AuditEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { kind } = value as { kind?: unknown };
  return kind === undefined ? true : isAuditEvent(value);
}

function isAuditEventList(value: unknown): value is { items: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const list = value as { kind?: unknown; apiVersion?: unknown; items?: unknown };
  return list.kind === 'EventList' && isAuditApiVersion(list.apiVersion) && Array.isArray(list.items);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  if (typeof value !== 'object') return `a JSON ${typeof value}`;
  const { kind, apiVersion } = value as { kind?: unknown; apiVersion?: unknown };
  if (kind === undefined) return 'no kind';
  const shown = (part: unknown): string => (typeof part === 'string' ? part : JSON.stringify(part)).slice(0, 100);
  return apiVersion === undefined ? `kind ${shown(kind)}` : `kind ${shown(kind)}, apiVersion ${shown(apiVersion)}`;
}

/**
 * Line and column of a JSON.parse error in `text` (which starts at `firstLine`): the position V8 names, or for an
 * unexpected token (which V8 names without a position) the first place that character stands outside a string.
 */
function positionOf(error: unknown, firstLine: number, text: string): { line: number; column: number } | undefined {
  const message = error instanceof Error ? error.message : '';
  const match = /at position (\d+)/.exec(message);
  const token = /^Unexpected token '([\s\S])'/.exec(message);
  const offset = match ? Number(match[1]) : token ? offsetOutsideStrings(text, token[1] as string) : -1;
  if (offset < 0) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { line: firstLine + countNewlines(text, 0, offset), column: offset - lineStart + 1 };
}

/** Offset of the first `character` not inside a JSON string, or -1. */
function offsetOutsideStrings(text: string, character: string): number {
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const current = text[index];
    if (inString) {
      if (current === '\\') index++;
      else if (current === '"') inString = false;
    } else if (current === character) {
      return index;
    } else if (current === '"') {
      inString = true;
    }
  }
  return -1;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
