/**
 * Findings as they are made, kept out of the heap: each one is appended as a line of JSON to a spill file (in
 * memory until it passes a few megabytes, then in a temporary folder removed when the process ends, even on an
 * error or a signal), and only a compact index stays in typed arrays (severity, file, line, column, control,
 * resource, suppression, where the record is). A scan with millions of findings then needs tens of bytes per
 * finding instead of a rich object, and reports read the records back one at a time in report order.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../exceptions/fingerprint.js';
import type { Finding, ResourceRef } from './finding.js';
import { compareOrderKeys, type OrderKey } from './finding-order.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from './types.js';

/** A finding as stored: with its line-independent fingerprint. */
export type StoredFinding = Finding & { readonly fingerprint: string };

/** Records stay in memory up to this many bytes (every small scan), then move to a spill file. */
const SPILL_AFTER_BYTES = 8 << 20;
const WRITE_BATCH_BYTES = 1 << 20;
/** Titles and remediation texts are a few per control; past this many distinct ones they are stored inline. */
const MAX_INTERNED_TEXTS = 10_000;
const SUPPRESSED = 1;
const SEVERITY_BY_RANK: Severity[] = [];
for (const severity of SEVERITIES) SEVERITY_BY_RANK[SEVERITY_RANK[severity]] = severity;

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
  private severity = new Uint8Array(64);
  private flags = new Uint8Array(64);
  private file = new Uint32Array(64);
  private line = new Uint32Array(64);
  private column = new Uint32Array(64);
  private control = new Uint16Array(64);
  private resource = new Uint32Array(64);
  private offset = new Float64Array(64);
  private length = new Uint32Array(64);

  private readonly files = new Interner();
  private readonly controls = new Interner();
  private readonly resources = new Interner();
  private readonly texts = new Interner();

  /** Records while they fit in memory; undefined once they live in the spill file. */
  private memory: string[] | undefined = [];
  private bytes = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private spill: { readonly dir: string; readonly fd: number } | undefined;
  private buffer = Buffer.alloc(1 << 16);
  private sorted: Uint32Array | undefined;
  private last: { resource: ResourceRef | undefined; fileName: string; file: number; id: number } = { resource: undefined, fileName: '', file: 0, id: 0 };

  get size(): number {
    return this.count;
  }

  /** The folder of the spill file once records moved there (tests check that it goes away). */
  get spillDirectory(): string | undefined {
    return this.spill?.dir;
  }

  add(finding: Finding): void {
    this.grow();
    const index = this.count++;
    const { location, resource } = finding;
    this.severity[index] = SEVERITY_RANK[finding.severity];
    this.flags[index] = finding.suppression ? SUPPRESSED : 0;
    // A resource's findings come together and share its reference: look its ids up once.
    if (resource !== this.last.resource || location.file !== this.last.fileName) {
      const file = this.files.id(location.file);
      this.last = { resource, fileName: location.file, file, id: this.resources.id(resourceKey(location.file, resource)) };
    }
    const { file } = this.last;
    this.file[index] = file;
    this.line[index] = location.line;
    this.column[index] = location.column;
    this.control[index] = this.controls.id(finding.controlId);
    this.resource[index] = this.last.id;
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
    this.offset[index] = this.bytes;
    this.length[index] = size - 1;
    this.bytes += size;
    if (this.memory) {
      this.memory.push(record);
      if (this.bytes > SPILL_AFTER_BYTES) this.moveToFile();
    } else {
      this.pending.push(`${record}\n`);
      this.pendingBytes += size;
      if (this.pendingBytes >= WRITE_BATCH_BYTES) this.flush();
    }
    this.sorted = undefined;
  }

  /** The finding at an index (in the order findings were added). */
  read(index: number): StoredFinding {
    const text = this.memory ? (this.memory[index] as string) : this.readRecord(index);
    const record = JSON.parse(text) as { title: string | number; remediation: string | number; location: { file: string | number } };
    record.title = this.untext(record.title);
    record.remediation = this.untext(record.remediation);
    record.location.file = this.files.values[record.location.file as number] as string;
    return record as unknown as StoredFinding;
  }

  /** Every finding in the order it was added. */
  *all(): Generator<StoredFinding> {
    for (let index = 0; index < this.count; index++) yield this.read(index);
  }

  /** Indexes in report order (see finding-order.ts); ties keep the order findings were added. */
  sortedIndexes(): Uint32Array {
    if (this.sorted) return this.sorted;
    const fileRanks = this.files.ranks();
    const controlRanks = this.controls.ranks();
    const a: OrderKey = { severityRank: 0, file: 0, line: 0, column: 0, control: 0 };
    const b: OrderKey = { severityRank: 0, file: 0, line: 0, column: 0, control: 0 };
    const fill = (key: OrderKey, index: number): OrderKey => {
      key.severityRank = this.severity[index] as number;
      key.file = fileRanks[this.file[index] as number] as number;
      key.line = this.line[index] as number;
      key.column = this.column[index] as number;
      key.control = controlRanks[this.control[index] as number] as number;
      return key;
    };
    const order = new Uint32Array(this.count);
    for (let index = 0; index < this.count; index++) order[index] = index;
    order.sort((i, j) => compareOrderKeys(fill(a, i), fill(b, j)) || i - j);
    this.sorted = order;
    return order;
  }

  severityAt(index: number): Severity {
    return SEVERITY_BY_RANK[this.severity[index] as number] as Severity;
  }

  suppressedAt(index: number): boolean {
    return ((this.flags[index] as number) & SUPPRESSED) !== 0;
  }

  controlAt(index: number): string {
    return this.controls.values[this.control[index] as number] as string;
  }

  /** The resource (file, kind, namespace, name) as a number shared by its findings. */
  resourceAt(index: number): number {
    return this.resource[index] as number;
  }

  /** The number `resourceAt` gives findings on this resource, if any finding is on it. */
  resourceIdOf(file: string, resource: ResourceRef): number | undefined {
    return this.resources.ids.get(resourceKey(file, resource));
  }

  /** Removes the spill file now rather than at exit. The store cannot be read afterwards. */
  close(): void {
    this.memory = [];
    this.count = 0;
    if (!this.spill) return;
    closeSync(this.spill.fd);
    removeSpill(this.spill.dir);
    this.spill = undefined;
  }

  private text(value: string): string | number {
    return this.texts.ids.has(value) || this.texts.values.length < MAX_INTERNED_TEXTS ? this.texts.id(value) : value;
  }

  private untext(value: string | number): string {
    return typeof value === 'number' ? (this.texts.values[value] as string) : value;
  }

  private moveToFile(): void {
    const dir = mkdtempSync(join(tmpdir(), 'kubeharden-findings-'));
    trackSpill(dir);
    this.spill = { dir, fd: openSync(join(dir, 'findings.jsonl'), 'w+', 0o600) };
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

  private readRecord(index: number): string {
    if (this.pending.length > 0) this.flush();
    const length = this.length[index] as number;
    if (this.buffer.length < length) this.buffer = Buffer.alloc(Math.max(length, this.buffer.length * 2));
    const spill = this.spill as { fd: number };
    let read = 0;
    while (read < length) {
      const got = readSync(spill.fd, this.buffer, read, length - read, (this.offset[index] as number) + read);
      if (got === 0) throw new Error('finding store: spill file ended early');
      read += got;
    }
    return this.buffer.toString('utf8', 0, length);
  }

  private grow(): void {
    if (this.count < this.severity.length) return;
    // 1.5×, not 2×: at millions of findings the old and new arrays briefly coexist.
    const capacity = Math.ceil(this.severity.length * 1.5);
    this.severity = resized(this.severity, new Uint8Array(capacity));
    this.flags = resized(this.flags, new Uint8Array(capacity));
    this.file = resized(this.file, new Uint32Array(capacity));
    this.line = resized(this.line, new Uint32Array(capacity));
    this.column = resized(this.column, new Uint32Array(capacity));
    this.control = resized(this.control, new Uint16Array(capacity));
    this.resource = resized(this.resource, new Uint32Array(capacity));
    this.offset = resized(this.offset, new Float64Array(capacity));
    this.length = resized(this.length, new Uint32Array(capacity));
  }
}

function resourceKey(file: string, resource: ResourceRef): string {
  return `${file}\u0000${resource.kind}\u0000${resource.namespace ?? '\u0001'}\u0000${resource.name ?? '\u0001'}`;
}

function resized<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** Spill folders of this process, removed when it ends however it ends. */
const liveSpills = new Set<string>();
let cleanupInstalled = false;

function trackSpill(dir: string): void {
  liveSpills.add(dir);
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', removeAllSpills);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeAllSpills();
      // Die of the signal as the process would have without this handler, unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function removeSpill(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveSpills.delete(dir);
}

function removeAllSpills(): void {
  for (const dir of liveSpills) removeSpill(dir);
}
