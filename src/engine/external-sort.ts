/**
 * An external merge sort of fixed-size records: items are held in memory up to a bound, then sorted and written to
 * a temporary file as one sorted run; reading sorts what is still in memory and merges it with every run. Memory is
 * the bound plus one read block per run, however many items there are. The files live in a temporary folder that
 * is removed when the sort is closed, and when the process ends however it ends (an error, a signal).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How an item is written into and read from a fixed number of bytes. */
export interface RecordCodec<T> {
  readonly bytes: number;
  write(item: T, buffer: Buffer, at: number): void;
  read(buffer: Buffer, at: number): T;
}

export interface ExternalSortOptions {
  /** Items held in memory before they are written as a run. */
  readonly maxInMemory: number;
  /** A folder for the run file, asked for when the first run is written. */
  readonly directory: () => string;
  /** The run file's name inside it. */
  readonly name: string;
}

/** Items of one read from a run file, and of one write. */
const BLOCK_ITEMS = 1024;

export class ExternalSort<T> {
  /**
   * Items in memory, encoded as they come: an object held until its run is written would outlive a young-generation
   * collection and pile up in the old generation (millions of them) until a full one; encoded, it dies at once.
   */
  private memory = Buffer.alloc(0);
  private held = 0;
  private readonly runs: { readonly start: number; readonly count: number }[] = [];
  private file: { readonly path: string; readonly fd: number } | undefined;
  private written = 0;
  private count = 0;

  /** `order` is asked for each time a run is sorted or the runs merged: it may compare by ranks known only then. */
  constructor(
    private readonly codec: RecordCodec<T>,
    private readonly order: () => (a: T, b: T) => number,
    private readonly options: ExternalSortOptions,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Runs written to disk so far. */
  get runCount(): number {
    return this.runs.length;
  }

  /** The run file once a run was written (tests check that it goes away). */
  get path(): string | undefined {
    return this.file?.path;
  }

  add(item: T): void {
    const { bytes } = this.codec;
    if ((this.held + 1) * bytes > this.memory.length) {
      // Grows by doubling up to the bound, so a small report never allocates the whole bound.
      const grown = Buffer.alloc(Math.min(this.options.maxInMemory, Math.max(64, this.held * 2)) * bytes);
      this.memory.copy(grown, 0, 0, this.held * bytes);
      this.memory = grown;
    }
    this.codec.write(item, this.memory, this.held * bytes);
    this.held++;
    this.count++;
    if (this.held >= this.options.maxInMemory) this.writeRun();
  }

  /** Every item in order. Adding while reading is not supported. */
  *sorted(): Generator<T> {
    const compare = this.order();
    const items = this.heldItems().sort(compare);
    if (this.runs.length === 0) {
      yield* items;
      return;
    }
    const sources: Iterator<T>[] = [items[Symbol.iterator](), ...this.runs.map((run) => this.readRun(run))];
    yield* merge(sources, compare);
  }

  /** Removes the run file. The sort cannot be read afterwards. */
  close(): void {
    this.memory = Buffer.alloc(0);
    this.held = 0;
    this.runs.length = 0;
    this.count = 0;
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.path, { force: true });
    this.file = undefined;
  }

  private writeRun(): void {
    this.file ??= (() => {
      const path = join(this.options.directory(), this.options.name);
      return { path, fd: openSync(path, 'w+', 0o600) };
    })();
    const items = this.heldItems().sort(this.order());
    const { bytes } = this.codec;
    const block = Buffer.allocUnsafe(BLOCK_ITEMS * bytes);
    const start = this.written;
    for (let first = 0; first < items.length; first += BLOCK_ITEMS) {
      const last = Math.min(items.length, first + BLOCK_ITEMS);
      for (let index = first; index < last; index++) this.codec.write(items[index] as T, block, (index - first) * bytes);
      const length = (last - first) * bytes;
      for (let done = 0; done < length; ) done += writeSync(this.file.fd, block, done, length - done, this.written + done);
      this.written += length;
    }
    this.runs.push({ start, count: items.length });
    this.held = 0;
  }

  private heldItems(): T[] {
    const items = new Array<T>(this.held);
    for (let index = 0; index < this.held; index++) items[index] = this.codec.read(this.memory, index * this.codec.bytes);
    return items;
  }

  private *readRun(run: { readonly start: number; readonly count: number }): Generator<T> {
    const { bytes } = this.codec;
    const block = Buffer.allocUnsafe(Math.min(BLOCK_ITEMS, run.count) * bytes);
    const fd = (this.file as { fd: number }).fd;
    for (let first = 0; first < run.count; first += BLOCK_ITEMS) {
      const items = Math.min(BLOCK_ITEMS, run.count - first);
      const length = items * bytes;
      const position = run.start + first * bytes;
      for (let done = 0; done < length; ) {
        const got = readSync(fd, block, done, length - done, position + done);
        if (got === 0) throw new Error(`${this.options.name}: run file ended early`);
        done += got;
      }
      for (let index = 0; index < items; index++) yield this.codec.read(block, index * bytes);
    }
  }
}

/** K-way merge of sorted sources through a binary heap of their current items. */
function* merge<T>(sources: Iterator<T>[], compare: (a: T, b: T) => number): Generator<T> {
  const heap: { item: T; source: Iterator<T> }[] = [];
  const less = (i: number, j: number): boolean => compare((heap[i] as { item: T }).item, (heap[j] as { item: T }).item) < 0;
  const swap = (i: number, j: number): void => {
    const held = heap[i] as { item: T; source: Iterator<T> };
    heap[i] = heap[j] as { item: T; source: Iterator<T> };
    heap[j] = held;
  };
  const down = (from: number): void => {
    for (let i = from; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && less(left, least)) least = left;
      if (right < heap.length && less(right, least)) least = right;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  };
  for (const source of sources) {
    const next = source.next();
    if (!next.done) heap.push({ item: next.value, source });
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const top = heap[0] as { item: T; source: Iterator<T> };
    yield top.item;
    const next = top.source.next();
    if (next.done) {
      const last = heap.pop() as { item: T; source: Iterator<T> };
      if (heap.length === 0) return;
      heap[0] = last;
    } else {
      top.item = next.value;
    }
    down(0);
  }
}

/** Temporary folders of this process, removed when it ends however it ends. */
const liveFolders = new Set<string>();
let cleanupInstalled = false;

/** A new temporary folder that is removed at exit, on an error and on SIGINT/SIGTERM/SIGHUP if not before. */
export function trackedTempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  liveFolders.add(dir);
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', removeAllFolders);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        removeAllFolders();
        // Die of the signal as the process would have without this handler, unless someone else handles it.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    }
  }
  return dir;
}

export function removeTempFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveFolders.delete(dir);
}

function removeAllFolders(): void {
  for (const dir of liveFolders) removeTempFolder(dir);
}
