/**
 * Findings as they are made, kept out of the heap: each one is appended as a line of JSON to a spill file (in
 * memory until it passes a few megabytes, then in a temporary folder removed when the process ends, even on an
 * error or a signal), and a compact entry per finding (severity, suppression, control, resource, file, line,
 * column, where its record is) goes into an external sort in report order (external-sort.ts): a bounded number of
 * entries stays in memory, the rest are sorted runs on disk merged when a report reads them. Counts per severity
 * are kept as they come. A scan with millions of findings then needs the same memory as one with a few hundred
 * thousand, and reports read the records back one at a time in report order.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fingerprint } from '../exceptions/fingerprint.js';
import type { Finding, ResourceRef } from '../vocabulary/finding.js';
import { compareOrderKeys, type OrderKey } from './finding-order.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../vocabulary/severity.js';
import { ExternalSort, removeTempFolder, trackedTempFolder, type RecordCodec } from './external-sort.js';
import { StringIds } from '../util/string-ids.js';

/** A finding as stored: with its line-independent fingerprint. */
export type StoredFinding = Finding & { readonly fingerprint: string };

/** A finding as the index keeps it: what orders, groups and counts it, and where its record is. */
export interface FindingEntry {
  /** Severity rank in the low bits, suppression above it (see `severityOf`, `isSuppressed`). */
  readonly flags: number;
  /** The control's number (see `controlOf`). */
  readonly control: number;
  /** The file's number; the resource's file. */
  readonly file: number;
  /** The resource (file, kind, namespace, name) as a number shared by its findings. */
  readonly resource: number;
  readonly line: number;
  readonly column: number;
  /** The order the finding was added in. */
  readonly position: number;
  /** Where its record starts in the spill, and its length without the newline. */
  readonly offset: number;
  readonly length: number;
}

export interface FindingStoreLimits {
  /** Records stay in memory up to this many bytes (every small scan), then move to a spill file. */
  readonly recordBytesInMemory: number;
  /** Index entries held in memory before a sorted run of them is written to disk. */
  readonly entriesInMemory: number;
}

const DEFAULT_LIMITS: FindingStoreLimits = { recordBytesInMemory: 8 << 20, entriesInMemory: 1 << 16 };
let limits = DEFAULT_LIMITS;

/**
 * Changes the bounds of stores made from now on (tests force the spill paths with tiny ones); without an argument,
 * the defaults come back. Returns the bounds that held before.
 */
export function setFindingStoreLimits(next?: Partial<FindingStoreLimits>): FindingStoreLimits {
  const before = limits;
  limits = { ...DEFAULT_LIMITS, ...next };
  return before;
}

const WRITE_BATCH_BYTES = 1 << 20;
/** Titles and remediation texts are a few per control; past this many distinct ones they are stored inline. */
const MAX_INTERNED_TEXTS = 10_000;
/** Severity rank in the low bits of a finding's flags byte, suppression above it. */
const SUPPRESSED = 0x80;
const SEVERITY_MASK = 0x7f;
const SEVERITY_BY_RANK: Severity[] = [];
for (const severity of SEVERITIES) SEVERITY_BY_RANK[SEVERITY_RANK[severity]] = severity;

/** An entry in 36 bytes; the offset as a double (a spill passes 4 GB long before 2^53). */
export const ENTRY_CODEC: RecordCodec<FindingEntry> = {
  bytes: 36,
  write(entry, buffer, at) {
    buffer.writeUInt8(entry.flags, at);
    buffer.writeUInt16LE(entry.control, at + 2);
    buffer.writeUInt32LE(entry.file, at + 4);
    buffer.writeUInt32LE(entry.resource, at + 8);
    buffer.writeUInt32LE(entry.line, at + 12);
    buffer.writeUInt32LE(entry.column, at + 16);
    buffer.writeUInt32LE(entry.position, at + 20);
    buffer.writeUInt32LE(entry.length, at + 24);
    buffer.writeDoubleLE(entry.offset, at + 28);
  },
  read(buffer, at) {
    return {
      flags: buffer.readUInt8(at),
      control: buffer.readUInt16LE(at + 2),
      file: buffer.readUInt32LE(at + 4),
      resource: buffer.readUInt32LE(at + 8),
      line: buffer.readUInt32LE(at + 12),
      column: buffer.readUInt32LE(at + 16),
      position: buffer.readUInt32LE(at + 20),
      length: buffer.readUInt32LE(at + 24),
      offset: buffer.readDoubleLE(at + 28),
    };
  },
};

class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  /** Each id's position when the values are sorted (what the shared order compares). */
  ranks(): Uint32Array {
    const byText = this.values.map((_, id) => id).sort((a, b) => compareText(this.values[a] as string, this.values[b] as string));
    const ranks = new Uint32Array(this.values.length);
    byText.forEach((id, rank) => (ranks[id] = rank));
    return ranks;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class FindingStore {
  private count = 0;
  private readonly files = new Interner();
  private readonly controls = new Interner();
  private readonly texts = new Interner();
  /**
   * Resources by key, packed (a Map of strings cost about 150 bytes a resource); a key holds the file's number, so
   * a resource's file is never stored twice.
   */
  private readonly resources = new StringIds();
  /** Findings per severity rank, open and suppressed, counted as they come. */
  private readonly open = new Array<number>(SEVERITIES.length).fill(0);
  private readonly accepted = new Array<number>(SEVERITIES.length).fill(0);
  /** The index, in report order: entries in memory up to a bound, sorted runs on disk past it. */
  private readonly index: ExternalSort<FindingEntry>;
  private readonly limits = limits;
  private sorts = 0;

  /** Records while they fit in memory; undefined once they live in the spill file. */
  private memory: string[] | undefined = [];
  private bytes = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private folder: string | undefined;
  private spill: { readonly fd: number } | undefined;
  /** For reading records back from the spill file: made when the first is read, so a scan that never spills has none. */
  private buffer = Buffer.alloc(0);
  private last: { resource: ResourceRef | undefined; fileName: string; file: number; id: number } = { resource: undefined, fileName: '', file: 0, id: 0 };

  constructor() {
    this.index = new ExternalSort(ENTRY_CODEC, () => this.reportOrder(), { maxInMemory: this.limits.entriesInMemory, directory: () => this.directory(), name: 'index.bin' });
  }

  get size(): number {
    return this.count;
  }

  /** The folder of the spill files once records or index runs moved there (tests check that it goes away). */
  get spillDirectory(): string | undefined {
    return this.folder;
  }

  /** Sorted runs of the index written to disk so far. */
  get indexRuns(): number {
    return this.index.runCount;
  }

  /** How many findings have this severity, open or suppressed (`suppressed`), from counts kept as they came. */
  countOf(severity: Severity, suppressed: boolean): number {
    return (suppressed ? this.accepted : this.open)[SEVERITY_RANK[severity]] as number;
  }

  add(finding: Finding): void {
    const position = this.count++;
    const { location, resource } = finding;
    // A resource's findings come together and share its reference: look its ids up once.
    if (resource !== this.last.resource || location.file !== this.last.fileName) {
      const file = this.files.id(location.file);
      const { id } = this.resources.intern(resourceKey(file, resource));
      this.last = { resource, fileName: location.file, file, id };
    }
    const { file } = this.last;
    const rank = SEVERITY_RANK[finding.severity];
    const counts = finding.suppression ? this.accepted : this.open;
    counts[rank] = (counts[rank] as number) + 1;
    // Overriding keys keeps their place, so the record reads back with the finding's own key order.
    const print = (finding as Partial<StoredFinding>).fingerprint ?? fingerprint(finding);
    const record = JSON.stringify({
      ...finding,
      title: this.text(finding.title),
      location: { ...location, file },
      remediation: this.text(finding.remediation),
      fingerprint: print,
    });
    const size = Buffer.byteLength(record) + 1;
    this.index.add({
      flags: rank | (finding.suppression ? SUPPRESSED : 0),
      control: this.controls.id(finding.controlId),
      file,
      resource: this.last.id,
      line: location.line,
      column: location.column,
      position,
      offset: this.bytes,
      length: size - 1,
    });
    this.bytes += size;
    if (this.memory) {
      this.memory.push(record);
      if (this.bytes > this.limits.recordBytesInMemory) this.moveToFile();
    } else {
      this.pending.push(`${record}\n`);
      this.pendingBytes += size;
      if (this.pendingBytes >= WRITE_BATCH_BYTES) this.flush();
    }
  }

  /** The finding an entry stands for. */
  read(entry: FindingEntry): StoredFinding {
    return this.parse(this.memory ? (this.memory[entry.position] as string) : this.readRecord(entry.offset, entry.length));
  }

  /** Every finding in the order it was added. */
  *all(): Generator<StoredFinding> {
    if (this.memory) {
      for (const record of this.memory) yield this.parse(record);
      return;
    }
    // The spill file holds the records in the order added, one a line; a character may span two reads.
    this.flush();
    const block = Buffer.allocUnsafe(1 << 16);
    const decoder = new StringDecoder('utf8');
    let at = 0;
    let rest = '';
    for (;;) {
      const got = readSync((this.spill as { fd: number }).fd, block, 0, block.length, at);
      if (got === 0) break;
      at += got;
      const lines = (rest + decoder.write(block.subarray(0, got))).split('\n');
      rest = lines.pop() as string;
      for (const line of lines) yield this.parse(line);
    }
  }

  /** Every entry in report order (see finding-order.ts); ties keep the order findings were added. */
  entries(): Generator<FindingEntry> {
    if (this.pending.length > 0) this.flush();
    return this.index.sorted();
  }

  severityOf(entry: FindingEntry): Severity {
    return SEVERITY_BY_RANK[entry.flags & SEVERITY_MASK] as Severity;
  }

  isSuppressed(entry: FindingEntry): boolean {
    return (entry.flags & SUPPRESSED) !== 0;
  }

  controlOf(entry: FindingEntry): string {
    return this.controls.values[entry.control] as string;
  }

  /** How many resources have findings (numbers from 0 to this less one). */
  get resourceCount(): number {
    return this.resources.size;
  }

  /** The number entries carry for findings on this resource, if any finding is on it. */
  resourceIdOf(file: string, resource: ResourceRef): number | undefined {
    const fileId = this.files.ids.get(file);
    const id = fileId === undefined ? -1 : this.resources.find(resourceKey(fileId, resource));
    return id < 0 ? undefined : id;
  }

  /** Removes the spill files now rather than at exit. The store cannot be read afterwards. */
  close(): void {
    this.memory = [];
    this.count = 0;
    this.index.close();
    if (this.spill) closeSync(this.spill.fd);
    this.spill = undefined;
    if (this.folder) removeTempFolder(this.folder);
    this.folder = undefined;
  }

  /**
   * An external sort with this store's bound, its runs in this store's folder (a report that orders findings
   * otherwise, as by resource, sorts their entries through one). Close it when done; closing the store removes it too.
   */
  newSort<T>(codec: RecordCodec<T>, order: () => (a: T, b: T) => number): ExternalSort<T> {
    return new ExternalSort(codec, order, { maxInMemory: this.limits.entriesInMemory, directory: () => this.directory(), name: `sort-${++this.sorts}.bin` });
  }

  /** A folder for spill files of this store, made when first needed and removed at exit. */
  directory(): string {
    return (this.folder ??= trackedTempFolder('kubeharden-findings-'));
  }

  /** Report order over entries: ranks of file and control texts as they are now (ids sort like their texts). */
  private reportOrder(): (a: FindingEntry, b: FindingEntry) => number {
    const fileRanks = this.files.ranks();
    const controlRanks = this.controls.ranks();
    const a: OrderKey = { severityRank: 0, file: 0, line: 0, column: 0, control: 0 };
    const b: OrderKey = { severityRank: 0, file: 0, line: 0, column: 0, control: 0 };
    const fill = (key: OrderKey, entry: FindingEntry): OrderKey => {
      key.severityRank = entry.flags & SEVERITY_MASK;
      key.file = fileRanks[entry.file] as number;
      key.line = entry.line;
      key.column = entry.column;
      key.control = controlRanks[entry.control] as number;
      return key;
    };
    return (x, y) => compareOrderKeys(fill(a, x), fill(b, y)) || x.position - y.position;
  }

  private parse(text: string): StoredFinding {
    const record = JSON.parse(text) as { title: string | number; remediation: string | number; location: { file: string | number } };
    record.title = this.untext(record.title);
    record.remediation = this.untext(record.remediation);
    record.location.file = this.files.values[record.location.file as number] as string;
    return record as unknown as StoredFinding;
  }

  private text(value: string): string | number {
    return this.texts.ids.has(value) || this.texts.values.length < MAX_INTERNED_TEXTS ? this.texts.id(value) : value;
  }

  private untext(value: string | number): string {
    return typeof value === 'number' ? (this.texts.values[value] as string) : value;
  }

  private moveToFile(): void {
    this.spill = { fd: openSync(join(this.directory(), 'findings.jsonl'), 'w+', 0o600) };
    this.pending = (this.memory as string[]).map((record) => `${record}\n`);
    this.pendingBytes = this.bytes;
    this.memory = undefined;
    this.flush();
  }

  private flush(): void {
    if (!this.spill || this.pending.length === 0) return;
    // A string is written through a transient native buffer: a Buffer per batch would be external memory that
    // only a full garbage collection returns, and gigabytes of records would pile up before one ran.
    const text = this.pending.join('');
    const bytes = Buffer.byteLength(text);
    const written = writeSync(this.spill.fd, text);
    if (written < bytes) {
      const rest = Buffer.from(text).subarray(written);
      for (let done = 0; done < rest.length; ) done += writeSync(this.spill.fd, rest, done);
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  private readRecord(offset: number, length: number): string {
    if (this.pending.length > 0) this.flush();
    if (this.buffer.length < length) this.buffer = Buffer.alloc(Math.max(length, this.buffer.length * 2, 1 << 16));
    const spill = this.spill as { fd: number };
    let read = 0;
    while (read < length) {
      const got = readSync(spill.fd, this.buffer, read, length - read, offset + read);
      if (got === 0) throw new Error('finding store: spill file ended early');
      read += got;
    }
    return this.buffer.toString('utf8', 0, length);
  }
}

/** A resource's key, its file as the file's number: a long path is not repeated in each of 200,000 keys. */
function resourceKey(file: number, resource: ResourceRef): string {
  return `${file}\u0000${resource.kind}\u0000${resource.namespace ?? '\u0001'}\u0000${resource.name ?? '\u0001'}`;
}
