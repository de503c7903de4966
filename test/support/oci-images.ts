/**
 * Images made in the test, byte by byte as a registry or `docker save` holds them: tar layers (gzip, zstd through
 * the real `zstd` CLI, or none), image configs with their diff IDs, OCI and Docker manifests and indexes. Then
 * pushed to a real registry through the distribution API (monolithic blob uploads, then the manifest), written as
 * an OCI image layout, or as a legacy `docker save` tarball.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import type { Registry } from './registry-harness.js';

export interface Blob {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly bytes: Buffer;
}

export interface TarEntry {
  readonly path: string;
  readonly content?: Buffer | string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link';
  readonly linkname?: string;
  readonly mode?: number;
}

export type LayerCompression = 'gzip' | 'zstd' | 'none';

export interface Layer extends Blob {
  /** The sha256 of the uncompressed tar. */
  readonly diffId: string;
}

export interface Image {
  readonly config: Blob;
  readonly layers: readonly Layer[];
  readonly manifest: Blob;
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function blob(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, digest: sha256(bytes), size: bytes.length, bytes };
}

export async function tarOf(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const content = type === 'file' ? Buffer.from(entry.content ?? '') : Buffer.alloc(0);
    pack.entry({ name: entry.path, type, size: content.length, mode: entry.mode ?? (type === 'directory' ? 0o755 : 0o644), mtime: new Date(0), ...(entry.linkname ? { linkname: entry.linkname } : {}) }, content);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Whether the `zstd` CLI is there to compress zstd layers (Node 20's zlib has no zstd). */
export function zstdMissing(): string | null {
  const result = spawnSync('zstd', ['--version']);
  return result.status === 0 ? null : 'the zstd command is not installed: install Debian\'s zstd package to test zstd layers';
}

export function compress(tar: Buffer, compression: LayerCompression): Buffer {
  if (compression === 'gzip') return gzipSync(tar);
  if (compression === 'none') return tar;
  const result = spawnSync('zstd', ['-q', '-c', '-3'], { input: tar, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`zstd failed: ${result.stderr.toString()}`);
  return result.stdout;
}

const LAYER_TYPES: Record<LayerCompression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

export async function layer(entries: readonly TarEntry[], compression: LayerCompression = 'gzip'): Promise<Layer> {
  const tar = await tarOf(entries);
  return { ...blob(LAYER_TYPES[compression], compress(tar, compression)), diffId: sha256(tar) };
}

export interface ImageOptions {
  readonly platform?: { os: string; architecture: string; variant?: string };
  /** Docker v2 schema 2 instead of OCI media types. */
  readonly docker?: boolean;
  readonly user?: string;
}

export function image(layers: readonly Layer[], options: ImageOptions = {}): Image {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const config = blob(
    options.docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json',
    Buffer.from(JSON.stringify({ ...platform, config: { User: options.user ?? '' }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } })),
  );
  const dockerLayerType = (l: Layer) => (l.mediaType.endsWith('+gzip') ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : l.mediaType);
  const mediaType = options.docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = blob(
    mediaType,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
        layers: layers.map((l) => ({ mediaType: options.docker ? dockerLayerType(l) : l.mediaType, digest: l.digest, size: l.size })),
      }),
    ),
  );
  return { config, layers, manifest };
}

export function index(entries: readonly { image: Image; platform: { os: string; architecture: string; variant?: string }; annotations?: Record<string, string> }[], docker = false): Blob {
  const mediaType = docker ? 'application/vnd.docker.distribution.manifest.list.v2+json' : 'application/vnd.oci.image.index.v1+json';
  return blob(
    mediaType,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        manifests: entries.map((entry) => ({
          mediaType: entry.image.manifest.mediaType,
          digest: entry.image.manifest.digest,
          size: entry.image.manifest.size,
          platform: entry.platform,
          ...(entry.annotations ? { annotations: entry.annotations } : {}),
        })),
      }),
    ),
  );
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

/** Pushes blobs (skipping those the registry has) then manifests, as `docker push` does. */
export async function push(registry: Registry, repository: string, tag: string, images: readonly Image[], top?: Blob): Promise<void> {
  const authorization = await registry.authorization(repository);
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const base = `${registry.url}/v2/${repository}`;
  const pushBlob = async (item: Blob) => {
    const head = await fetch(`${base}/blobs/${item.digest}`, { method: 'HEAD', headers });
    if (head.status === 200) return;
    const start = await expectOk(await fetch(`${base}/blobs/uploads/`, { method: 'POST', headers }), `start upload of ${item.digest}`);
    const location = new URL(start.headers.get('location') ?? '', registry.url);
    location.searchParams.set('digest', item.digest);
    await expectOk(
      await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(item.size) }, body: new Uint8Array(item.bytes) }),
      `upload of ${item.digest}`,
    );
  };
  const pushManifest = async (item: Blob, reference: string) => {
    await expectOk(await fetch(`${base}/manifests/${reference}`, { method: 'PUT', headers: { ...headers, 'content-type': item.mediaType }, body: new Uint8Array(item.bytes) }), `manifest ${reference}`);
  };
  for (const one of images) {
    for (const item of [...one.layers, one.config]) await pushBlob(item);
    await pushManifest(one.manifest, top ? one.manifest.digest : tag);
  }
  if (top) await pushManifest(top, tag);
}

/** An OCI image layout folder: oci-layout, blobs, and index.json listing `entries`. */
export function writeLayout(dir: string, images: readonly Image[], indexEntries: readonly { blob: Blob; annotations?: Record<string, string>; platform?: object }[], extraBlobs: readonly Blob[] = []): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  for (const item of [...images.flatMap((one) => [one.manifest, one.config, ...one.layers]), ...extraBlobs]) {
    writeFileSync(join(dir, 'blobs', 'sha256', item.digest.slice('sha256:'.length)), item.bytes);
  }
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: indexEntries.map((entry) => ({ mediaType: entry.blob.mediaType, digest: entry.blob.digest, size: entry.blob.size, ...(entry.platform ? { platform: entry.platform } : {}), ...(entry.annotations ? { annotations: entry.annotations } : {}) })),
    }),
  );
}

/** A `docker save` tarball in the legacy format (Docker before 25): manifest.json, `<id>.json`, `<id>/layer.tar`. */
export async function dockerSaveTarball(file: string, uncompressedLayers: readonly Buffer[], repoTag: string, options: ImageOptions = {}): Promise<void> {
  const diffIds = uncompressedLayers.map(sha256);
  const config = Buffer.from(JSON.stringify({ ...(options.platform ?? { os: 'linux', architecture: 'amd64' }), config: { User: options.user ?? '' }, rootfs: { type: 'layers', diff_ids: diffIds } }));
  const configName = `${sha256(config).slice('sha256:'.length)}.json`;
  const layerNames = diffIds.map((id) => `${id.slice('sha256:'.length)}/layer.tar`);
  const entries: TarEntry[] = [
    { path: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: [repoTag], Layers: layerNames }]) },
    { path: configName, content: config },
    ...uncompressedLayers.map((tar, i) => ({ path: layerNames[i]!, content: tar })),
  ];
  writeFileSync(file, await tarOf(entries));
}
