/**
 * What image reading asks of package extraction (src/vuln/packages/): which files to keep while layers stream by,
 * and the packages found in the files kept. Image reading knows no package format; extraction knows no layers.
 */
import type { InstalledPackage, OsRelease } from '../model.js';

/** A file of the image's final filesystem that the extractor asked for. */
export interface ImageFile {
  /** Absolute, normalised: `/var/lib/dpkg/status`. */
  readonly path: string;
  readonly content: Buffer;
  /** The digest of the layer the file's content came from. */
  readonly layer: string;
  readonly mode: number;
}

/** What a tar entry says about a file before its content is read. */
export interface EntryInfo {
  readonly size: number;
  readonly mode: number;
}

export interface ExtractionContext {
  readonly reference: string;
  /** `linux/amd64` */
  readonly platform: string | null;
}

export interface ExtractionResult {
  readonly os: OsRelease | null;
  readonly packages: readonly InstalledPackage[];
  /** Files that could not be read (a corrupt database, a file above a reader's cap): reported, the rest goes on. */
  readonly problems?: readonly string[];
}

export interface PackageExtractor {
  /** Names what `wants` keeps: the layer cache is keyed by it, so change it whenever `wants` changes. */
  readonly id: string;
  wants(path: string, entry: EntryInfo): boolean;
  extract(files: readonly ImageFile[], context: ExtractionContext): ExtractionResult | Promise<ExtractionResult>;
}
