/**
 * Reads many images with one registry client and one layer cache, a few at a time: each image yields its
 * inventory or its error, and one failing image never stops the others.
 */
import { LayerCache } from './layer-cache.js';
import type { CredentialStore } from './docker-config.js';
import type { PackageExtractor } from './extractor.js';
import { readImage, type ImageReadResult } from './image-reader.js';
import type { Platform } from './manifest.js';
import { openImageSource } from './open-source.js';
import { RegistryClient } from './registry-client.js';

export interface ScanImagesOptions {
  readonly platform: Platform;
  readonly extractor: PackageExtractor;
  readonly credentials: CredentialStore;
  /** null: no layer cache. */
  readonly cacheDir: string | null;
  readonly plainHttpHosts?: readonly string[];
  /** Images read at once (default 2). */
  readonly concurrency?: number;
  readonly maxRetries?: number;
}

export type ImageOutcome = { readonly reference: string } & ({ readonly result: ImageReadResult } | { readonly error: string });

export interface ScanImagesResult {
  readonly outcomes: ImageOutcome[];
  readonly cache: { readonly hits: number; readonly misses: number } | null;
  readonly requests: number;
}

export async function scanImages(references: readonly string[], options: ScanImagesOptions): Promise<ScanImagesResult> {
  const client = new RegistryClient({
    credentials: options.credentials,
    ...(options.plainHttpHosts ? { plainHttpHosts: options.plainHttpHosts } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
  });
  const cache = options.cacheDir === null ? null : new LayerCache(options.cacheDir, options.extractor.id);
  const outcomes: ImageOutcome[] = new Array(references.length);
  let next = 0;
  const worker = async () => {
    while (next < references.length) {
      const index = next++;
      const reference = references[index]!;
      try {
        const source = await openImageSource(reference, client);
        outcomes[index] = { reference, result: await readImage(source, { platform: options.platform, extractor: options.extractor, cache }) };
      } catch (error) {
        outcomes[index] = { reference, error: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, references.length)) }, worker));
  return { outcomes, cache: cache ? { hits: cache.hits, misses: cache.misses } : null, requests: client.counters.requests };
}
