/**
 * Every file a user names (manifests, standard input, configuration, baselines, audit policies, host files) is
 * read here: only regular files (a device such as /dev/zero never ends, a FIFO nobody writes to never answers), and
 * never more than the cap of its kind, so a hostile or mistaken input ends with a clear error instead of exhausting
 * memory. The caps are in docs/limits.md; each can be changed with its `KUBEHARDEN_MAX_*_SIZE` variable.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

const MiB = 1024 * 1024;

/**
 * The caps, per kind of input. Variables rather than flags: the configuration file is itself capped (so its cap
 * cannot come from it), and every command (scan, node, rbac, netpol, audit) reads the same variables the same way.
 */
export const INPUT_LIMITS = {
  manifest: { bytes: 256 * MiB, variable: 'KUBEHARDEN_MAX_MANIFEST_SIZE', what: 'manifest files and standard input' },
  baseline: { bytes: 256 * MiB, variable: 'KUBEHARDEN_MAX_BASELINE_SIZE', what: 'baselines' },
  flows: { bytes: 256 * MiB, variable: 'KUBEHARDEN_MAX_FLOWS_SIZE', what: 'Hubble flow exports' },
  config: { bytes: 8 * MiB, variable: 'KUBEHARDEN_MAX_CONFIG_SIZE', what: 'configuration files' },
  policy: { bytes: 8 * MiB, variable: 'KUBEHARDEN_MAX_POLICY_SIZE', what: 'audit policies and kube-apiserver flag files' },
  host: { bytes: 8 * MiB, variable: 'KUBEHARDEN_MAX_HOST_FILE_SIZE', what: 'host files under node --root' },
  state: { bytes: 64 * MiB, variable: 'KUBEHARDEN_MAX_STATE_SIZE', what: 'audit serve state files' },
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

/** A file that was found but is not something kubeharden reads: its message says what it is or why. */
export class UnreadableInput extends Error {}

/** A `KUBEHARDEN_MAX_*_SIZE` variable that is not a size. */
export class InputLimitSettingError extends Error {}

/** The cap of one kind of input in bytes: its variable (`512M`, `2G`, `1048576`) or the default. */
export function inputLimit(kind: InputKind, env: NodeJS.ProcessEnv = process.env): number {
  const { bytes, variable } = INPUT_LIMITS[kind];
  const value = env[variable]?.trim();
  if (value === undefined || value === '') return bytes;
  const match = /^(\d+)\s*([KMG]?)(?:i?B)?$/i.exec(value);
  const size = match ? Number(match[1]) * 1024 ** ' KMG'.indexOf((match[2] || ' ').toUpperCase()) : NaN;
  if (!Number.isSafeInteger(size) || size <= 0) throw new InputLimitSettingError(`${variable} must be a size such as 512M, 2G or 1048576, not "${value}"`);
  return size;
}

/** Checks every cap variable once, so a mistyped one is a usage error before any work starts. */
export function checkInputLimits(env: NodeJS.ProcessEnv = process.env): void {
  for (const kind of Object.keys(INPUT_LIMITS) as InputKind[]) inputLimit(kind, env);
}

export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 * MiB], ['MiB', MiB], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

function tooLarge(kind: InputKind, limit: number): UnreadableInput {
  const { variable, what } = INPUT_LIMITS[kind];
  return new UnreadableInput(`larger than ${formatSize(limit)}, the limit for ${what} (raise it with ${variable}, see docs/limits.md)`);
}

/** What a file that is not regular is, for the error. */
export function notRegularReason(stats: Stats): string {
  const what = stats.isDirectory()
    ? 'a directory'
    : stats.isCharacterDevice()
      ? 'a character device'
      : stats.isBlockDevice()
        ? 'a block device'
        : stats.isFIFO()
          ? 'a FIFO (named pipe)'
          : stats.isSocket()
            ? 'a socket'
            : 'not a file';
  return `is ${what}, not a regular file`;
}

export interface ReadFileOptions {
  /**
   * Also read a FIFO: for paths the user named on the command line (`scan <(helm template ...)`, like `-`), never
   * for files found by walking a tree or under `node --root`, where nobody may be writing to it.
   */
  readonly allowPipe?: boolean;
  /** Refuse a symbolic link as the last component (the host reader has resolved every link itself). */
  readonly noFollow?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The bytes of a regular file (or, when allowed, a pipe), at most the cap of its kind. Opened non-blocking so that
 * opening a FIFO cannot hang, and checked on the open descriptor, so a file swapped after a `stat` cannot slip by.
 * The size is counted while reading, never taken from `stat` (files under /proc say 0 and go on).
 */
export function readInputFile(path: string, kind: InputKind, options: ReadFileOptions = {}): Buffer {
  const limit = inputLimit(kind, options.env);
  const { fd, stats } = openInput(path, options.allowPipe === true, options.noFollow ? constants.O_NOFOLLOW : 0);
  try {
    return readCapped(fd, kind, limit, stats.isFile() ? stats.size : 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a regular file, or a pipe when allowed, and says which it is. A pipe the user named is opened blocking, as
 * `cat` opens it: the open waits for its writer. Opening it non-blocking first and then again blocking left a gap in
 * which a writer could write everything and leave, and the second open then waited for a writer that never came.
 */
function openInput(path: string, allowPipe: boolean, flags: number): { fd: number; stats: Stats } {
  const pipe = allowPipe && (flags & constants.O_NOFOLLOW ? lstatSync : statSync)(path, { throwIfNoEntry: false })?.isFIFO() === true;
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY | (pipe ? 0 : constants.O_NONBLOCK) | flags);
  try {
    const stats = fstatSync(fd);
    // A pipe swapped in after the stat was opened non-blocking, where its reads would fail: refused like any other.
    if (!stats.isFile() && !(pipe && stats.isFIFO())) throw new UnreadableInput(notRegularReason(stats));
    return { fd, stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Reads to the end or past the cap. The first buffer holds what `stat` said plus one byte, so a regular file is read
 * into one buffer of its own size (no copy), and the read that finds the end uses the byte left over; only what
 * grows beyond it, or a pipe, is read in further chunks. (A fresh 4 MiB chunk just to find the end cost every file
 * read that much memory outside the heap, which made V8 collect garbage every few scans.)
 */
function readCapped(fd: number, kind: InputKind, limit: number, sizeHint: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk = Buffer.allocUnsafe(Math.min(Math.max(sizeHint + 1, 64 * 1024), limit + 1));
  let used = 0;
  for (;;) {
    if (used === chunk.length) {
      chunks.push(chunk);
      chunk = Buffer.allocUnsafe(Math.min(4 * MiB, limit + 1 - total));
      used = 0;
    }
    const count = readSync(fd, chunk, used, chunk.length - used, null);
    if (count === 0) break;
    used += count;
    total += count;
    if (total > limit) throw tooLarge(kind, limit);
  }
  if (used > 0) chunks.push(chunk.subarray(0, used));
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/**
 * Standard input as a stream, refused when it is a directory (`scan - < deploy/`, which a shell opens): Node reads
 * a directory's descriptor as an empty stream, so the command passed having read nothing.
 */
export async function* standardInput(): AsyncGenerator<Uint8Array> {
  if (fstatSync(0).isDirectory()) throw new UnreadableInput('is a directory, not a file or a pipe');
  yield* process.stdin;
}

/** All of a stream (standard input), at most the cap of its kind. */
export async function readInputStream(stream: AsyncIterable<Uint8Array>, kind: InputKind, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const limit = inputLimit(kind, env);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limit) throw tooLarge(kind, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * A descriptor for streaming a log (no size cap: logs are read in constant memory): a regular file or a FIFO the
 * user named, never a device, which would stream forever.
 */
export function openStreamableFile(path: string): number {
  return openInput(path, true, 0).fd;
}

/** Why a path could not be read, in words: our own reasons as they are, the usual errno codes spelled out. */
export function describeReadError(error: unknown): string {
  if (error instanceof UnreadableInput) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a component of the path is not a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links (a link loop?)';
  return error instanceof Error ? error.message : String(error);
}
