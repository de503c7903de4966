/**
 * OCI image manifests and indexes, and their Docker v2 schema 2 twins (manifest and manifest list): parsed from
 * untrusted JSON into the few fields we use, with every digest checked for form.
 */
import { checkDigest, ImageError } from './digest.js';

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

/** What a registry is asked for: every manifest kind we can read. */
export const MANIFEST_ACCEPT = Object.values(MEDIA_TYPES).join(', ');

/** Manifests, indexes and configs are small; anything bigger is refused instead of read into memory. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageManifest {
  readonly kind: 'manifest';
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

export interface ImageIndex {
  readonly kind: 'index';
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ImageError(`${what} is not JSON: ${(error as Error).message}`);
  }
  const object = record(document);
  if (!object) throw new ImageError(`${what} is not a JSON object`);
  return object;
}

function parseDescriptor(value: unknown, what: string): Descriptor {
  const object = record(value);
  if (!object) throw new ImageError(`${what} is not an object`);
  const digest = checkDigest(object.digest, what);
  const size = object.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new ImageError(`${what} has no valid size`);
  const platformObject = record(object.platform);
  const platform =
    platformObject && typeof platformObject.os === 'string' && typeof platformObject.architecture === 'string'
      ? {
          os: platformObject.os,
          architecture: platformObject.architecture,
          ...(typeof platformObject.variant === 'string' ? { variant: platformObject.variant } : {}),
        }
      : undefined;
  const annotationsObject = record(object.annotations);
  const annotations = annotationsObject
    ? Object.fromEntries(Object.entries(annotationsObject).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
    : undefined;
  return {
    mediaType: typeof object.mediaType === 'string' ? object.mediaType : '',
    digest,
    size,
    ...(platform ? { platform } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

/**
 * Parses a manifest or index. The kind comes from the document's own mediaType, else the one it was served
 * with, else its shape (OCI makes mediaType optional): `manifests` means an index, `layers` a manifest.
 */
export function parseManifestDocument(bytes: Buffer, servedAs: string | null, what: string): ImageManifest | ImageIndex {
  const object = parseJsonObject(bytes, what);
  const mediaType = typeof object.mediaType === 'string' ? object.mediaType : (servedAs?.split(';')[0]?.trim() ?? '');
  if (object.schemaVersion === 1 || mediaType.startsWith('application/vnd.docker.distribution.manifest.v1')) {
    throw new ImageError(`${what} is a Docker v2 schema 1 manifest, which has no content digests for its layers: not supported`);
  }
  const isIndex = mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList || (mediaType === '' && Array.isArray(object.manifests));
  if (isIndex) {
    if (!Array.isArray(object.manifests)) throw new ImageError(`${what} is an index without a manifests list`);
    return { kind: 'index', mediaType, manifests: object.manifests.map((entry, index) => parseDescriptor(entry, `${what}: manifests[${index}]`)) };
  }
  const isManifest = mediaType === MEDIA_TYPES.ociManifest || mediaType === MEDIA_TYPES.dockerManifest || (mediaType === '' && Array.isArray(object.layers));
  if (!isManifest) throw new ImageError(`${what} has media type ${JSON.stringify(mediaType)}, which is neither an image manifest nor an index`);
  if (!Array.isArray(object.layers)) throw new ImageError(`${what} has no layers list`);
  return {
    kind: 'manifest',
    mediaType,
    config: parseDescriptor(object.config, `${what}: config`),
    layers: object.layers.map((entry, index) => parseDescriptor(entry, `${what}: layers[${index}]`)),
  };
}

/** `linux/amd64`, `linux/arm64/v8`: the --platform syntax of docker and crane. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === '')) {
    throw new ImageError(`platform ${JSON.stringify(text)} is not os/architecture[/variant] (e.g. linux/amd64)`);
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return { os, architecture, ...(variant ? { variant } : {}) };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** arm64 images often leave out the variant v8 that is implied; treat the two as the same. */
function variantMatches(wanted: Platform, offered: Platform): boolean {
  if (wanted.variant === undefined) return true;
  if (offered.variant === wanted.variant) return true;
  return wanted.architecture === 'arm64' && wanted.variant === 'v8' && offered.variant === undefined;
}

/** The index entry for a platform; the error lists what the index offers. Attestation entries are never chosen. */
export function selectPlatform(index: ImageIndex, wanted: Platform, what: string): Descriptor {
  const images = index.manifests.filter((entry) => entry.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
  const match = images.find((entry) => entry.platform && entry.platform.os === wanted.os && entry.platform.architecture === wanted.architecture && variantMatches(wanted, entry.platform));
  if (match) return match;
  const offered = images.map((entry) => (entry.platform ? formatPlatform(entry.platform) : 'unknown')).join(', ');
  throw new ImageError(`${what} has no image for ${formatPlatform(wanted)} (it has: ${offered || 'none'}); choose one with --platform`);
}

/** The image config's platform and the uncompressed digests of its layers. */
export interface ImageConfig {
  readonly platform: Platform | null;
  readonly diffIds: readonly string[];
  /** `User` of the config (empty: root): the ranking uses it when the pod spec does not say. */
  readonly user: string | null;
}

export function parseImageConfig(bytes: Buffer, what: string): ImageConfig {
  const object = parseJsonObject(bytes, what);
  const rootfs = record(object.rootfs);
  const diffIds = Array.isArray(rootfs?.diff_ids) ? rootfs.diff_ids.map((id, index) => checkDigest(id, `${what}: rootfs.diff_ids[${index}]`)) : [];
  const config = record(object.config);
  return {
    platform:
      typeof object.os === 'string' && typeof object.architecture === 'string'
        ? { os: object.os, architecture: object.architecture, ...(typeof object.variant === 'string' ? { variant: object.variant } : {}) }
        : null,
    diffIds,
    user: typeof config?.User === 'string' ? config.User : null,
  };
}
