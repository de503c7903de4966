/**
 * Extracted package files by layer digest on disk, so a base layer shared by fifty images is downloaded and
 * unpacked once. Each entry is a plain tar of the kept entries (files, links, whiteouts) of one layer, written by
 * the layer reader while it streams and renamed into place only once the layer's digest checked out. Entries are
 * keyed by the extractor's id too: a different set of wanted files is a different cache.
 */
import { createReadStream, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readLayer, type LayerContent } from './layer-reader.js';

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kubeharden');
}

/** Bumped when the entry format changes, so old entries are never misread. */
const FORMAT = 'v1';

export class LayerCache {
  hits = 0;
  misses = 0;

  constructor(
    readonly dir: string,
    private readonly extractorId: string,
  ) {}

  /** Where a layer's entry lives (the digest was checked for form, so it is safe in a path). */
  fileFor(digest: string): string {
    const [algorithm, hex] = digest.split(':') as [string, string];
    return join(this.dir, 'layers', `${FORMAT}-${this.extractorId.replace(/[^A-Za-z0-9._-]/g, '_')}`, algorithm, `${hex}.tar`);
  }

  /** The cached content of a layer, or null when it is not cached (or the entry is unreadable: read it anew). */
  async read(digest: string): Promise<LayerContent | null> {
    const file = this.fileFor(digest);
    if (!existsSync(file)) {
      this.misses++;
      return null;
    }
    try {
      const content = await readLayer(createReadStream(file), 'none', null, { wants: () => true, maxFileBytes: Number.MAX_SAFE_INTEGER });
      this.hits++;
      return { ...content, blobBytes: 0 };
    } catch {
      this.misses++;
      return null;
    }
  }
}
