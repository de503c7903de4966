/**
 * A `docker save` tarball. Docker 25 and later write an OCI image layout inside it, which is read as one; older
 * tarballs have only the legacy manifest.json (Config, RepoTags, Layers: uncompressed `<id>/layer.tar` members),
 * from which an equivalent manifest is made: each layer's digest is its diff ID from the image config, which is
 * exactly the sha256 of the uncompressed tar, so every byte is still verified.
 */
import { checkDigest, ImageError, isSha256Digest, sha256Digest } from './digest.js';
import { tarStore, type FileStore } from './file-store.js';
import { isImageLayout, layoutSource } from './layout-source.js';
import { MAX_MANIFEST_BYTES, MEDIA_TYPES, parseImageConfig, type Descriptor } from './manifest.js';
import { readBounded } from './read-bounded.js';
import type { ImageSource, RootDocument } from './source.js';

const LEGACY_LAYER_TYPE = 'application/vnd.docker.image.rootfs.diff.tar';
const LEGACY_CONFIG_TYPE = 'application/vnd.docker.container.image.v1+json';

interface LegacyEntry {
  readonly config: string;
  readonly repoTags: readonly string[];
  readonly layers: readonly string[];
}

function parseLegacyManifest(bytes: Buffer, what: string): LegacyEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ImageError(`${what} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(document)) throw new ImageError(`${what} is not a list of images`);
  return document.map((entry: unknown, index) => {
    const object = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof object.Config !== 'string' || !Array.isArray(object.Layers) || !object.Layers.every((layer) => typeof layer === 'string')) {
      throw new ImageError(`${what}: entry ${index} has no Config and Layers`);
    }
    return {
      config: object.Config,
      repoTags: Array.isArray(object.RepoTags) ? object.RepoTags.filter((tag): tag is string => typeof tag === 'string') : [],
      layers: object.Layers as string[],
    };
  });
}

function chooseEntry(entries: readonly LegacyEntry[], selectName: string | null, what: string): LegacyEntry {
  if (selectName !== null) {
    const named = entries.find((entry) => entry.repoTags.some((tag) => tag === selectName || tag.endsWith(`/${selectName}`)));
    if (!named) throw new ImageError(`${what} holds no image tagged ${selectName} (it has: ${entries.flatMap((entry) => entry.repoTags).join(', ') || 'untagged images'})`);
    return named;
  }
  if (entries.length !== 1) {
    throw new ImageError(`${what} holds ${entries.length} images: name one as docker-archive:FILE:REPO:TAG (${entries.flatMap((entry) => entry.repoTags).join(', ')})`);
  }
  return entries[0]!;
}

/** The member's sha256 when its name spells one (`<hex>.json`, `blobs/sha256/<hex>`). */
function digestInName(name: string): string | null {
  const hex = /([a-f0-9]{64})(\.json)?$/.exec(name)?.[1];
  return hex ? `sha256:${hex}` : null;
}

function legacySource(store: FileStore, reference: string, selectName: string | null): ImageSource {
  const members = new Map<string, string>();
  const what = `${store.location}: manifest.json`;
  return {
    reference,
    selectName: null,
    async root(): Promise<RootDocument> {
      const entry = chooseEntry(parseLegacyManifest(await readBounded(store.open('manifest.json'), MAX_MANIFEST_BYTES, what), what), selectName, what);
      const configBytes = await readBounded(store.open(entry.config), MAX_MANIFEST_BYTES, `${store.location}: ${entry.config}`);
      const configDigest = sha256Digest(configBytes);
      const named = digestInName(entry.config);
      if (named && named !== configDigest) throw new ImageError(`${store.location}: ${entry.config} has content digest ${configDigest}`);
      const config = parseImageConfig(configBytes, `${store.location}: ${entry.config}`);
      if (config.diffIds.length !== entry.layers.length) {
        throw new ImageError(`${what}: ${entry.layers.length} layers, but the image config lists ${config.diffIds.length} diff IDs`);
      }
      members.set(configDigest, entry.config);
      const layers: Descriptor[] = [];
      for (const [index, layer] of entry.layers.entries()) {
        const size = await store.size(layer);
        if (size === null) throw new ImageError(`${store.location}: has no member ${layer}`);
        const digest = checkDigest(config.diffIds[index], `${what}: layer ${index}`);
        members.set(digest, layer);
        layers.push({ mediaType: LEGACY_LAYER_TYPE, digest, size });
      }
      const manifest = {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.dockerManifest,
        config: { mediaType: LEGACY_CONFIG_TYPE, digest: configDigest, size: configBytes.length },
        layers,
      };
      return { bytes: Buffer.from(JSON.stringify(manifest)), mediaType: MEDIA_TYPES.dockerManifest, expectedDigest: null, hasDigest: false };
    },
    async manifest() {
      throw new ImageError(`${what}: a legacy docker save tarball has no manifest index`);
    },
    async blob(descriptor) {
      const member = members.get(descriptor.digest);
      if (!member || !isSha256Digest(descriptor.digest)) throw new ImageError(`${store.location}: has no blob ${descriptor.digest}`);
      return store.open(member);
    },
  };
}

export async function dockerArchiveSource(file: string, reference: string, selectName: string | null): Promise<ImageSource> {
  const store = await tarStore(file);
  if (await isImageLayout(store)) return layoutSource(store, reference, selectName);
  if ((await store.size('manifest.json')) === null) throw new ImageError(`${file}: neither an OCI image layout nor a docker save tarball (no index.json, no manifest.json)`);
  return legacySource(store, reference, selectName);
}
