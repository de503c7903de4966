/**
 * Reads one image from any source: resolves the reference to one image manifest (choosing the platform in an
 * index), verifies every manifest and blob against its digest and size, streams each layer (or takes it from the
 * layer cache), applies whiteouts across layers, and hands the kept files to the package extractor. Each package
 * is attributed to the first layer in which it appears.
 */
import type { ImageInventory, InstalledPackage } from '../model.js';
import { ImageError, sha256Digest, verifyBytes } from './digest.js';
import type { ImageFile, PackageExtractor } from './extractor.js';
import type { LayerCache } from './layer-cache.js';
import { layerCompression, readLayer, type LayerContent } from './layer-reader.js';
import {
  formatPlatform,
  MAX_MANIFEST_BYTES,
  parseImageConfig,
  parseManifestDocument,
  selectPlatform,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from './manifest.js';
import { MergedFiles } from './merged-files.js';
import { readBounded } from './read-bounded.js';
import type { ImageSource } from './source.js';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_KEPT_BYTES = 512 * 1024 * 1024;

export interface ReadImageOptions {
  readonly platform: Platform;
  readonly extractor: PackageExtractor;
  readonly cache: LayerCache | null;
  /** A wanted file bigger than this is left out with a warning (default 64 MiB). */
  readonly maxFileBytes?: number;
  /** All kept files of one image together (default 512 MiB): beyond it the image fails. */
  readonly maxKeptBytes?: number;
}

export interface ImageReadStats {
  /** Blob bytes read from the source (compressed layers, configs, manifests). */
  readonly bytesRead: number;
  readonly layersRead: number;
  readonly layersCached: number;
}

export interface ImageReadResult {
  readonly inventory: ImageInventory;
  readonly config: ImageConfig;
  readonly stats: ImageReadStats;
  /** Files left out for their size, and the like: the image was read, but not all of it. */
  readonly warnings: readonly string[];
}

const MAX_INDEX_DEPTH = 3;

function namedEntries(index: ImageIndex, name: string): Descriptor[] {
  return index.manifests.filter((entry) =>
    ['org.opencontainers.image.ref.name', 'io.containerd.image.name'].some((key) => {
      const value = entry.annotations?.[key];
      return value !== undefined && (value === name || value.endsWith(`/${name}`) || value.endsWith(`:${name}`));
    }),
  );
}

/** From the root document down to one image manifest; returns it with its digest. */
async function resolveManifest(source: ImageSource, platform: Platform, counter: { bytes: number }): Promise<{ manifest: ImageManifest; digest: string | null }> {
  const what = source.reference;
  const root = await source.root();
  counter.bytes += root.bytes.length;
  if (root.expectedDigest) verifyBytes(root.bytes, { digest: root.expectedDigest, size: null, what: `${what}: manifest` });
  let digest = root.hasDigest ? sha256Digest(root.bytes) : null;
  let document = parseManifestDocument(root.bytes, root.mediaType, `${what}: manifest`);
  let name = source.selectName;
  for (let depth = 0; document.kind === 'index'; depth++) {
    if (depth >= MAX_INDEX_DEPTH) throw new ImageError(`${what}: indexes nested more than ${MAX_INDEX_DEPTH} deep`);
    let candidates = document.manifests;
    if (name !== null) {
      candidates = namedEntries(document, name);
      if (candidates.length === 0) throw new ImageError(`${what}: no image named ${name} in the index`);
      name = null;
    }
    const only = candidates.length === 1 ? candidates[0]! : null;
    const chosen = only && !only.platform ? only : selectPlatform({ ...document, manifests: candidates }, platform, what);
    const served = await source.manifest(chosen);
    const bytes = await readBounded(served.bytes, MAX_MANIFEST_BYTES, `${what}: manifest ${chosen.digest}`);
    counter.bytes += bytes.length;
    verifyBytes(bytes, { digest: chosen.digest, size: chosen.size, what: `${what}: manifest ${chosen.digest}` });
    digest = chosen.digest;
    document = parseManifestDocument(bytes, chosen.mediaType || served.mediaType, `${what}: manifest ${chosen.digest}`);
  }
  return { manifest: document, digest };
}

function packageKey(pkg: InstalledPackage): string {
  return [pkg.ecosystem, pkg.name, pkg.version, pkg.path ?? ''].join('\0');
}

export async function readImage(source: ImageSource, options: ReadImageOptions): Promise<ImageReadResult> {
  const what = source.reference;
  const counter = { bytes: 0 };
  const { manifest, digest } = await resolveManifest(source, options.platform, counter);
  const configBytes = await readBounded(await source.blob(manifest.config), MAX_MANIFEST_BYTES, `${what}: config`);
  counter.bytes += configBytes.length;
  verifyBytes(configBytes, { digest: manifest.config.digest, size: manifest.config.size, what: `${what}: config` });
  const config = parseImageConfig(configBytes, `${what}: config`);

  const merged = new MergedFiles(options.maxKeptBytes ?? DEFAULT_MAX_KEPT_BYTES);
  const snapshots: { layer: string; files: ImageFile[] }[] = [];
  const warnings: string[] = [];
  let layersRead = 0;
  let layersCached = 0;
  for (const [index, layer] of manifest.layers.entries()) {
    const label = `${what}: layer ${index + 1} of ${manifest.layers.length} (${layer.digest})`;
    let content: LayerContent | null = (await options.cache?.read(layer.digest)) ?? null;
    if (content) {
      layersCached++;
    } else {
      const compression = layerCompression(layer.mediaType, label);
      content = await readLayer(await source.blob(layer), compression, { digest: layer.digest, size: layer.size, what: label }, {
        wants: (path, entry) => options.extractor.wants(path, entry),
        maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
        ...(options.cache ? { cacheFile: options.cache.fileFor(layer.digest) } : {}),
      });
      counter.bytes += content.blobBytes;
      layersRead++;
    }
    for (const skipped of content.tooLarge) warnings.push(`${label}: ${skipped.path} (${skipped.size} bytes) is larger than the per-file limit and was not read`);
    if (merged.apply(content, layer.digest)) snapshots.push({ layer: layer.digest, files: merged.snapshot() });
  }

  const platform = config.platform ? formatPlatform(config.platform) : null;
  const context = { reference: what, platform };
  // The packages of the final filesystem; each one's layer is the first snapshot it appears in.
  const firstSeen = new Map<string, string>();
  let final: { os: ImageInventory['os']; packages: readonly InstalledPackage[] } = { os: null, packages: [] };
  for (const [index, { layer, files }] of snapshots.entries()) {
    const result = await options.extractor.extract(files, context);
    for (const pkg of result.packages) if (!firstSeen.has(packageKey(pkg))) firstSeen.set(packageKey(pkg), layer);
    if (index === snapshots.length - 1) {
      final = result;
      warnings.push(...(result.problems ?? []).map((problem) => `${what}: ${problem}`));
    }
  }
  const inventory: ImageInventory = {
    reference: what,
    digest,
    platform,
    os: final.os,
    layers: manifest.layers.map((layer) => layer.digest),
    packages: final.packages.map((pkg) => ({ ...pkg, layer: firstSeen.get(packageKey(pkg)) ?? pkg.layer })),
  };
  return { inventory, config, stats: { bytesRead: counter.bytes, layersRead, layersCached }, warnings };
}
