/**
 * Findings as they are made, kept out of the heap: each one is appended as a line of JSON to a spill file (in
 * memory until it passes a few megabytes, then in a temporary folder removed when the process ends, even on an
 * error or a signal), and only a compact index stays in typed arrays (severity, line, column, control, resource and
 * through it the file, suppression, where the record is). A scan with millions of findings then needs tens of bytes
 * per finding instead of a rich object, and reports read the records back one at a time in report order.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../exceptions/fingerprint.js';
import type { Finding, ResourceRef } from '../vocabulary/finding.js';
import { compareOrderKeys, type OrderKey } from './finding-order.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../vocabulary/severity.js';

/** A finding as stored: with its line-independent fingerprint. */
export type StoredFinding = Finding & { readonly fingerprint: string };

/** Records stay in memory up to this many bytes (every small scan), then move to a spill file. */
const SPILL_AFTER_BYTES = 8 << 20;
const WRITE_BATCH_BYTES = 1 << 20;
/** Titles and remediation texts are a few per control; past this many distinct ones they are stored inline. */
const MAX_INTERNED_TEXTS = 10_000;
/** Severity rank in the low bits of a finding's flags byte, suppression above it. */
const SUPPRESSED = 0x80;
const SEVERITY_MASK = 0x7f;
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/**
 * The index of CHUNK findings: 19 bytes each. A record's offset is kept relative to the chunk's first record
 * (a chunk's records are far below 4 GB) and its length is where the next one starts. The file is the resource's.
 */
class IndexChunk {
  readonly flags = new Uint8Array(CHUNK);
  readonly line = new Uint32Array(CHUNK);
  readonly column = new Uint32Array(CHUNK);
  readonly control = new Uint16Array(CHUNK);
  readonly resource = new Uint32Array(CHUNK);
  /** Where each record starts, after `base`; `end` is where the last one ends. */
  readonly offset = new Uint32Array(CHUNK);
  end = 0;
  constructor(readonly base: number) {}
}
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
  /** The index, in chunks of CHUNK findings: growing never copies it, and no more than one chunk stands empty. */
  private readonly chunks: IndexChunk[] = [];

  private readonly files = new Interner();
  private readonly controls = new Interner();
  private readonly resources = new Interner();
  private readonly texts = new Interner();
  /** The file of each resource (a resource's key includes its file), so findings need not store it. */
  private readonly resourceFiles: number[] = [];

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
    const index = this.count++;
    const at = index & IN_CHUNK;
    if (at === 0) this.chunks.push(new IndexChunk(this.bytes));
    const chunk = this.chunks[this.chunks.length - 1] as IndexChunk;
    const { location, resource } = finding;
    chunk.flags[at] = SEVERITY_RANK[finding.severity] | (finding.suppression ? SUPPRESSED : 0);
    // A resource's findings come together and share its reference: look its ids up once.
    if (resource !== this.last.resource || location.file !== this.last.fileName) {
      const file = this.files.id(location.file);
      const id = this.resources.id(resourceKey(file, resource));
      if (id === this.resourceFiles.length) this.resourceFiles.push(file);
      this.last = { resource, fileName: location.file, file, id };
    }
    const { file } = this.last;
    chunk.line[at] = location.line;
    chunk.column[at] = location.column;
    chunk.control[at] = this.controls.id(finding.controlId);
    chunk.resource[at] = this.last.id;
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
    chunk.offset[at] = this.bytes - chunk.base;
    this.bytes += size;
    chunk.end = this.bytes - chunk.base;
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
      const chunk = this.chunkOf(index);
      const at = index & IN_CHUNK;
      key.severityRank = (chunk.flags[at] as number) & SEVERITY_MASK;
      key.file = fileRanks[this.resourceFiles[chunk.resource[at] as number] as number] as number;
      key.line = chunk.line[at] as number;
      key.column = chunk.column[at] as number;
      key.control = controlRanks[chunk.control[at] as number] as number;
      return key;
    };
    const order = new Uint32Array(this.count);
    for (let index = 0; index < this.count; index++) order[index] = index;
    order.sort((i, j) => compareOrderKeys(fill(a, i), fill(b, j)) || i - j);
    this.sorted = order;
    return order;
  }

  severityAt(index: number): Severity {
    return SEVERITY_BY_RANK[(this.chunkOf(index).flags[index & IN_CHUNK] as number) & SEVERITY_MASK] as Severity;
  }

  suppressedAt(index: number): boolean {
    return ((this.chunkOf(index).flags[index & IN_CHUNK] as number) & SUPPRESSED) !== 0;
  }

  controlAt(index: number): string {
    return this.controls.values[this.chunkOf(index).control[index & IN_CHUNK] as number] as string;
  }

  /** The resource (file, kind, namespace, name) as a number shared by its findings. */
  resourceAt(index: number): number {
    return this.chunkOf(index).resource[index & IN_CHUNK] as number;
  }

  /** The number `resourceAt` gives findings on this resource, if any finding is on it. */
  resourceIdOf(file: string, resource: ResourceRef): number | undefined {
    const fileId = this.files.ids.get(file);
    return fileId === undefined ? undefined : this.resources.ids.get(resourceKey(fileId, resource));
  }

  /** Removes the spill file now rather than at exit. The store cannot be read afterwards. */
  close(): void {
    this.memory = [];
    this.count = 0;
    this.chunks.length = 0;
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
    const chunk = this.chunkOf(index);
    const at = index & IN_CHUNK;
    const start = chunk.offset[at] as number;
    // The next record starts after this one's newline.
    const length = (at + 1 < CHUNK && index + 1 < this.count ? (chunk.offset[at + 1] as number) : chunk.end) - start - 1;
    if (this.buffer.length < length) this.buffer = Buffer.alloc(Math.max(length, this.buffer.length * 2));
    const spill = this.spill as { fd: number };
    let read = 0;
    while (read < length) {
      const got = readSync(spill.fd, this.buffer, read, length - read, chunk.base + start + read);
      if (got === 0) throw new Error('finding store: spill file ended early');
      read += got;
    }
    return this.buffer.toString('utf8', 0, length);
  }

  private chunkOf(index: number): IndexChunk {
    return this.chunks[index >>> CHUNK_BITS] as IndexChunk;
  }
}

/** A resource's key, its file as the file's number: a long path is not repeated in each of 200,000 keys. */
function resourceKey(file: number, resource: ResourceRef): string {
  return `${file}\u0000${resource.kind}\u0000${resource.namespace ?? '\u0001'}\u0000${resource.name ?? '\u0001'}`;
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
