/** What the image-reading tests share: an extractor that reports the files it was given, and a reader with it. */
import { sha256Digest } from '../../../src/vuln/image/digest.js';
import { NO_CREDENTIALS, type CredentialStore } from '../../../src/vuln/image/docker-config.js';
import type { PackageExtractor } from '../../../src/vuln/image/extractor.js';
import { LayerCache } from '../../../src/vuln/image/layer-cache.js';
import { readImage, type ImageReadResult } from '../../../src/vuln/image/image-reader.js';
import { parsePlatform } from '../../../src/vuln/image/manifest.js';
import { openImageSource } from '../../../src/vuln/image/open-source.js';
import { RegistryClient } from '../../../src/vuln/image/registry-client.js';

/**
 * Keeps the files under the given folders and reports each as a "package" named by its path, versioned by its
 * content's digest: what reached the extractor, and which layer it is attributed to, are then plain to assert.
 */
export function fileExtractor(folders: readonly string[]): PackageExtractor & { seen: string[] } {
  const seen: string[] = [];
  return {
    id: `test-files-${folders.join(',')}`,
    seen,
    wants(path) {
      return folders.some((folder) => path.startsWith(`${folder}/`));
    },
    extract(files) {
      seen.push(files.map((file) => file.path).join(' '));
      return {
        os: null,
        packages: files.map((file) => ({ ecosystem: 'test', name: file.path, version: file.content.toString('utf8'), path: file.path, layer: sha256Digest(Buffer.from('not the reader\'s answer')) })),
      };
    },
  };
}

export interface ReadOptions {
  readonly credentials?: CredentialStore;
  readonly platform?: string;
  readonly cacheDir?: string;
  readonly extractor?: PackageExtractor;
  readonly maxRetries?: number;
  readonly maxRetryWaitMs?: number;
  readonly maxFileBytes?: number;
}

export async function read(reference: string, options: ReadOptions = {}): Promise<ImageReadResult> {
  const client = new RegistryClient({ credentials: options.credentials ?? NO_CREDENTIALS, maxRetries: options.maxRetries ?? 3, maxRetryWaitMs: options.maxRetryWaitMs ?? 5000 });
  const extractor = options.extractor ?? fileExtractor(['/etc', '/var/lib/dpkg', '/app']);
  return readImage(await openImageSource(reference, client), {
    platform: parsePlatform(options.platform ?? 'linux/amd64'),
    extractor,
    cache: options.cacheDir ? new LayerCache(options.cacheDir, extractor.id) : null,
    ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
  });
}

/** path → [content, layer] of what the extractor reported for the final filesystem. */
export function filesOf(result: ImageReadResult): Record<string, [string, string]> {
  return Object.fromEntries(result.inventory.packages.map((pkg) => [pkg.name, [pkg.version, pkg.layer ?? '']]));
}
