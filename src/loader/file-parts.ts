/**
 * Reading a large input file in parts (a JSON List's items, a YAML stream's documents) instead of whole: which
 * files qualify, the rows of numbers a first pass notes about each part, and the window a second pass reads the
 * parts through.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** Files from this size on are read in parts when their content allows it; smaller ones are read whole. */
export const PARTS_FROM_BYTES = 4 << 20;
export const CHUNK_BYTES = 1 << 20;

/**
 * An open descriptor and the size of a regular file of at least PARTS_FROM_BYTES, or undefined (not a regular
 * file, small, unreadable): the whole-file read then handles it, errors included.
 */
export function openLargeFile(path: string): { fd: number; size: number } | undefined {
  try {
    // Checked before opening: opening a FIFO and closing it again could kill its writer (SIGPIPE).
    const stats = statSync(path);
    if (!stats.isFile() || stats.size < PARTS_FROM_BYTES) return undefined;
  } catch {
    return undefined;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    return undefined;
  }
  return { fd, size: stats.size };
}

/** Rows of `width` numbers (offsets, lines, columns) in one growing typed array: no object per part. */
export class NumberRows {
  private data: Float64Array;
  count = 0;

  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 1024);
  }

  push(...values: number[]): void {
    if ((this.count + 1) * this.width > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(values, this.count * this.width);
    this.count++;
  }

  /** Changes a value of the last row. */
  setLast(column: number, value: number): void {
    this.data[(this.count - 1) * this.width + column] = value;
  }

  get(row: number, column: number): number {
    return this.data[row * this.width + column] as number;
  }
}

/** The parts of a file, read in order through a window of CHUNK_BYTES: a few reads per megabyte. */
export class FileWindow {
  private window = Buffer.allocUnsafe(CHUNK_BYTES);
  private start = 0;
  private end = 0;

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {}

  /** True when the file still has the size it had when its parts were noted. */
  unchanged(): boolean {
    return fstatSync(this.fd).size === this.size;
  }

  /** The text of bytes `start` to `end` (already checked to be valid UTF-8), or undefined if the file got shorter. */
  text(start: number, end: number): string | undefined {
    if (start < this.start || end > this.end) {
      if (end - start > this.window.length) this.window = Buffer.allocUnsafe(end - start);
      const count = readSync(this.fd, this.window, 0, Math.min(this.window.length, this.size - start), start);
      this.start = start;
      this.end = start + count;
      if (end > this.end) return undefined;
    }
    return this.window.toString('utf8', start - this.start, end - this.start);
  }
}

export const CHANGED_WHILE_READ = 'the file changed while it was being read';
