/** How `vuln` and `vuln sbom` read images, from the options they share (main.ts `addImageSourceOptions`). */
import { loadDockerConfig } from '../vuln/image/docker-config.js';
import { defaultCacheDir } from '../vuln/image/layer-cache.js';
import { parsePlatform } from '../vuln/image/manifest.js';
import { imagePackageExtractor } from '../vuln/image/package-extractor.js';
import type { ScanImagesOptions } from '../vuln/image/scan-images.js';
import { UsageError } from './usage-error.js';

export interface ImageSourceOptions {
  readonly platform: string;
  readonly cacheDir?: string;
  /** commander's --no-cache. */
  readonly cache: boolean;
  readonly dockerConfig?: string;
  readonly insecureRegistry: string[];
}

/** The options of `scanImages`; a --platform that is not os/arch[/variant] is a usage error. */
export function imageReading(options: ImageSourceOptions): ScanImagesOptions {
  let platform;
  try {
    platform = parsePlatform(options.platform);
  } catch (error) {
    throw new UsageError(`--platform: ${(error as Error).message}`);
  }
  return {
    platform,
    extractor: imagePackageExtractor(),
    credentials: loadDockerConfig(options.dockerConfig),
    cacheDir: options.cache ? (options.cacheDir ?? defaultCacheDir()) : null,
    plainHttpHosts: options.insecureRegistry,
  };
}
