/**
 * What a package extractor is. The image reader streams layers and keeps only the files some extractor
 * {@link PackageExtractor.wants}, each no larger than that extractor's {@link PackageExtractor.maxBytes}; then every
 * extractor gets the files it wants at once (some formats span several files: dpkg's `status` and `status.d/*`,
 * rpm's sqlite database beside its write-ahead log).
 */
import type { InstalledPackage, OsRelease } from '../model.js';

export interface ExtractContext {
  /** The image's distribution, from os-release, when known. */
  readonly os: OsRelease | null;
  /** The digest of the layer a kept file came from. */
  layerOf(path: string): string | undefined;
}

/** A file an extractor could not read. The rest of the scan goes on. */
export interface ExtractProblem {
  readonly path: string;
  readonly extractor: string;
  readonly message: string;
}

export interface ExtractResult {
  readonly packages: InstalledPackage[];
  readonly problems: ExtractProblem[];
}

/** What the image reader knows of a file before reading it (from the tar header). */
export interface FileInfo {
  /** Permission bits (`0o755`). */
  readonly mode?: number;
  readonly size?: number;
}

export interface PackageExtractor {
  readonly id: string;
  /** One line for docs and errors: `dpkg status (Debian, Ubuntu)`. */
  readonly description: string;
  /**
   * Whether the file at this absolute, normalised path (`/var/lib/dpkg/status`) may hold packages this extractor
   * reads. Cheap: called for every file of every layer.
   */
  wants(path: string, info?: FileInfo): boolean;
  /** When set, a wanted file that does not start with one of these byte strings can be dropped unread (ELF, Mach-O). */
  readonly magic?: readonly Buffer[];
  /** Files larger than this are refused with a problem naming the file, never read into memory. */
  readonly maxBytes: number;
  /**
   * Each file gives its packages alone, without the distribution or other files (Go binaries, Java archives,
   * go.mod, pom.xml): the image reader may extract such a file as soon as it has read it and drop its bytes, so
   * large binaries are never all held at once.
   */
  readonly independent: boolean;
  /** Reads the wanted files (keys are absolute paths). Never throws on bad input: a bad file becomes a problem. */
  extract(files: ReadonlyMap<string, Buffer>, context: ExtractContext): Promise<ExtractResult>;
}

/** A file that held no packages because its content is not what it should be: the message says what. */
export class PackageFileError extends Error {}

/** `/a/b`, from `a/b`, `./a/b` or `/a//b`: the form every extractor's `wants` is asked with. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The last part of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Runs `read` on each file and stamps every package with its path and layer; a file whose read throws becomes a
 * problem (so one corrupt file never hides the packages of the others).
 */
export async function eachFile(
  extractor: string,
  files: ReadonlyMap<string, Buffer>,
  context: ExtractContext,
  read: (path: string, content: Buffer) => InstalledPackage[] | Promise<InstalledPackage[]>,
): Promise<ExtractResult> {
  const packages: InstalledPackage[] = [];
  const problems: ExtractProblem[] = [];
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    try {
      const layer = context.layerOf(path);
      for (const found of await read(path, content)) packages.push({ ...found, path, ...(layer ? { layer } : {}) });
    } catch (error) {
      problems.push({ path, extractor, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { packages, problems };
}
