/**
 * Every package extractor, and `packagesOf`, which runs them over the files an image (or a folder) holds. The image
 * reader calls {@link wantedBy} on each file while it streams layers, keeps only files some extractor wants (and
 * the os-release files), refuses those above the extractor's `maxBytes`, then calls {@link packagesOf} once.
 */
import type { InstalledPackage, OsRelease } from '../model.js';
import { apkExtractor } from './apk.js';
import { dpkgExtractor } from './dpkg.js';
import { normalizePath, type ExtractProblem, type FileInfo, type PackageExtractor } from './extractor.js';
import { goBinaryExtractor, goModExtractor } from './go.js';
import { javaArchiveExtractor, pomXmlExtractor } from './maven.js';
import { npmExtractor } from './npm.js';
import { OS_RELEASE_PATHS, osReleaseOf } from './os-release.js';
import { pythonExtractor } from './python.js';
import { rpmExtractor } from './rpm.js';

export type { ExtractContext, ExtractProblem, ExtractResult, FileInfo, PackageExtractor } from './extractor.js';
export { normalizePath } from './extractor.js';
export { osEcosystem, OS_RELEASE_PATHS, osReleaseOf, parseOsRelease } from './os-release.js';

/** OS databases first: their packages are listed first in every report. */
export const EXTRACTORS: readonly PackageExtractor[] = [
  dpkgExtractor,
  apkExtractor,
  rpmExtractor,
  npmExtractor,
  pythonExtractor,
  goBinaryExtractor,
  goModExtractor,
  javaArchiveExtractor,
  pomXmlExtractor,
];

/** os-release files are small; anything bigger is not one. */
const OS_RELEASE_MAX_BYTES = 64 * 1024;

/** What a file is kept for: the extractors that want it, and whether it says which distribution this is. */
export interface FileWant {
  readonly extractors: readonly PackageExtractor[];
  readonly osRelease: boolean;
  /** The most any of them reads: a bigger file is refused unread. */
  readonly maxBytes: number;
  /** When every wanting extractor declares magic bytes: the file is dropped unless it starts with one of them. */
  readonly magic: readonly Buffer[] | null;
  /** Every wanting extractor reads this file on its own: it can be extracted at once and its bytes dropped. */
  readonly independent: boolean;
}

/** Whether to keep a file (path in any form: `a/b`, `./a/b`, `/a/b`), or null to skip it. */
export function wantedBy(path: string, info?: FileInfo, extractors: readonly PackageExtractor[] = EXTRACTORS): FileWant | null {
  const normalized = normalizePath(path);
  const osRelease = (OS_RELEASE_PATHS as readonly string[]).includes(normalized);
  const wanting = extractors.filter((extractor) => extractor.wants(normalized, info));
  if (!osRelease && wanting.length === 0) return null;
  const magic = !osRelease && wanting.every((extractor) => extractor.magic) ? wanting.flatMap((extractor) => extractor.magic ?? []) : null;
  const maxBytes = Math.max(osRelease ? OS_RELEASE_MAX_BYTES : 0, ...wanting.map((extractor) => extractor.maxBytes));
  return { extractors: wanting, osRelease, maxBytes, magic, independent: !osRelease && wanting.every((extractor) => extractor.independent) };
}

/** The message for a file above its cap, naming the file: the reader reports it and goes on. */
export function tooLargeProblem(path: string, size: number, want: FileWant): ExtractProblem {
  return {
    path: normalizePath(path),
    extractor: want.extractors.map((extractor) => extractor.id).join(',') || 'os-release',
    message: `${normalizePath(path)} is ${size} bytes, more than the ${want.maxBytes} bytes the ${want.extractors.map((extractor) => extractor.id).join('/') || 'os-release'} reader reads; it was skipped`,
  };
}

export interface PackagesOfOptions {
  /** The layer each file came from (the caller knows; a folder scan has none). */
  readonly layerOf?: (path: string) => string | undefined;
  /** Overrides the distribution read from the files' os-release. */
  readonly os?: OsRelease | null;
  readonly extractors?: readonly PackageExtractor[];
  /** What the tar header said of each file (its mode lets Go binaries outside bin folders be recognised). */
  readonly infoOf?: (path: string) => FileInfo | undefined;
}

export interface PackagesOfResult {
  readonly os: OsRelease | null;
  readonly packages: InstalledPackage[];
  readonly problems: ExtractProblem[];
}

/**
 * Runs every extractor over the files it wants. Paths are normalised to `/a/b`; files above an extractor's cap are
 * reported, not read; a file an extractor cannot read is a problem and the others go on. The same package found
 * twice in one file counts once.
 */
export async function packagesOf(files: ReadonlyMap<string, Buffer>, options: PackagesOfOptions = {}): Promise<PackagesOfResult> {
  const normalized = new Map([...files].map(([path, content]) => [normalizePath(path), content] as const));
  const os = options.os !== undefined ? options.os : osReleaseOf(normalized);
  const layerOf = options.layerOf ?? (() => undefined);
  const context = { os, layerOf };
  const packages: InstalledPackage[] = [];
  const problems: ExtractProblem[] = [];
  for (const extractor of options.extractors ?? EXTRACTORS) {
    const mine = new Map<string, Buffer>();
    for (const [path, content] of normalized) {
      if (!extractor.wants(path, options.infoOf?.(path))) continue;
      if (content.length > extractor.maxBytes) {
        problems.push({ path, extractor: extractor.id, message: `${path} is ${content.length} bytes, more than the ${extractor.maxBytes} bytes the ${extractor.id} reader reads; it was skipped` });
      } else if (!extractor.magic || extractor.magic.some((magic) => content.subarray(0, magic.length).equals(magic))) {
        mine.set(path, content);
      }
    }
    if (mine.size === 0) continue;
    const result = await extractor.extract(mine, context);
    const seen = new Set<string>();
    for (const found of result.packages) {
      const key = `${found.path}\u0000${found.ecosystem}\u0000${found.name}\u0000${found.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      packages.push(found);
    }
    problems.push(...result.problems);
  }
  return { os, packages, problems };
}
