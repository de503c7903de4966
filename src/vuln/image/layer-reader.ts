/**
 * Streams one layer blob: verify (digest and size) → decompress (gzip, zstd or none) → untar, keeping only the
 * entries the extractor wants plus the whiteouts that hide lower layers' files. Nothing but the kept files is held
 * in memory, so a layer of any size is read in bounded memory. The result counts only once the whole blob has been
 * read and verified: a corrupt or lying layer yields an error, never half its files.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import tarStream from 'tar-stream';
import { ImageError, VerifyingStream, type ExpectedBlob } from './digest.js';
import type { EntryInfo } from './extractor.js';

/** A link kept because its path is wanted: resolved against the final filesystem. */
export interface KeptLink {
  readonly target: string;
  /** Hard link targets are paths from the root; symbolic ones are relative to the link's folder unless absolute. */
  readonly hard: boolean;
}

export interface LayerContent {
  readonly files: Map<string, { content: Buffer; mode: number }>;
  readonly links: Map<string, KeptLink>;
  /** Whiteouts (`.wh.NAME`): paths this layer deletes from the layers below, with everything under them. */
  readonly removed: string[];
  /** Opaque whiteouts (`.wh..wh..opq`): folders whose lower-layer content this layer hides. */
  readonly opaque: string[];
  /** Wanted files left out because they exceed the per-file limit. */
  readonly tooLarge: { path: string; size: number }[];
  /** Bytes of the blob as stored (compressed). */
  readonly blobBytes: number;
}

export interface LayerReadOptions {
  readonly wants: (path: string, entry: EntryInfo) => boolean;
  /** A wanted file bigger than this is not kept (reported in `tooLarge`): memory stays bounded. */
  readonly maxFileBytes: number;
  /** Where to write the kept entries as a plain tar for the layer cache; renamed into place only on success. */
  readonly cacheFile?: string;
}

export type Compression = 'gzip' | 'zstd' | 'none';

/** The compression of a layer, from its media type (OCI, Docker, and the plain tar of `docker save`). */
export function layerCompression(mediaType: string, what: string): Compression {
  if (/[.+]gzip$/.test(mediaType)) return 'gzip';
  if (/[.+]zstd$/.test(mediaType)) return 'zstd';
  if (/(\.tar|\.layer\.v1\.tar|rootfs\.diff\.tar)$/.test(mediaType) || mediaType === '') return 'none';
  throw new ImageError(`${what} has media type ${JSON.stringify(mediaType)}: not a layer we can read (encrypted or foreign layers are not supported)`);
}

/** fzstd's streaming Decompress as a Node transform. */
class ZstdDecompress extends Transform {
  private readonly decompress = new Decompress((chunk) => {
    this.push(Buffer.from(chunk));
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decompress.push(chunk);
    } catch (error) {
      callback(new ImageError(`zstd: ${(error as Error).message}`));
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decompress.push(new Uint8Array(0), true);
    } catch (error) {
      callback(new ImageError(`zstd: ${(error as Error).message}`));
      return;
    }
    callback();
  }
}

function decompressor(compression: Compression): Transform {
  if (compression === 'gzip') return createGunzip();
  if (compression === 'zstd') return new ZstdDecompress();
  return new PassThrough();
}

/** `./usr/bin/../lib/x` → `/usr/lib/x`; null for a name that climbs above the root (never trusted). */
export function normaliseEntryPath(name: string): string | null {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function joinPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

const OPAQUE = '.wh..wh..opq';
const WHITEOUT_PREFIX = '.wh.';

async function readEntry(entry: AsyncIterable<Uint8Array>, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of entry) {
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    length += chunk.length;
  }
  if (length !== size) throw new ImageError(`tar entry declared ${size} bytes but held ${length}`);
  return Buffer.concat(chunks, length);
}

/** Reads a layer blob (as stored) and returns what it keeps; `expected` null for our own cache files. */
export async function readLayer(blob: Readable, compression: Compression, expected: ExpectedBlob | null, options: LayerReadOptions): Promise<LayerContent> {
  const verifier = expected ? new VerifyingStream(expected) : new PassThrough();
  const extract = tarStream.extract();
  const content: LayerContent = { files: new Map(), links: new Map(), removed: [], opaque: [], tooLarge: [], blobBytes: 0 };
  let bytes = 0;
  verifier.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const piping = pipeline(blob, verifier, decompressor(compression), extract).then(
    () => null,
    (error: unknown) => error,
  );
  const pack = options.cacheFile ? tarStream.pack() : null;
  const partial = options.cacheFile ? `${options.cacheFile}.partial-${process.pid}-${Math.random().toString(36).slice(2)}` : null;
  let packed: Promise<unknown> | null = null;
  if (pack && partial) {
    mkdirSync(dirname(partial), { recursive: true });
    packed = pipeline(pack, createWriteStream(partial)).then(
      () => null,
      (error: unknown) => error,
    );
  }
  const keep = (header: Pick<tarStream.Header, 'name' | 'type'> & { mode?: number; linkname?: string | null }, body?: Buffer) => {
    if (pack) pack.entry({ name: header.name, type: header.type, size: body?.length ?? 0, mode: header.mode ?? 0o644, ...(header.linkname ? { linkname: header.linkname } : {}) }, body ?? Buffer.alloc(0));
  };
  // A wanted path this layer replaces with something we do not keep: recorded (and cached) as a whiteout.
  const hide = (path: string) => {
    content.removed.push(path);
    keep({ name: joinPath(parentOf(path), `${WHITEOUT_PREFIX}${path.slice(path.lastIndexOf('/') + 1)}`), type: 'file', mode: 0o644 });
  };
  try {
    try {
      for await (const entry of extract) {
        const header = entry.header;
        const path = normaliseEntryPath(header.name);
        if (path === null || path === '/') {
          entry.resume();
          continue;
        }
        const name = path.slice(path.lastIndexOf('/') + 1);
        if (name === OPAQUE) {
          content.opaque.push(parentOf(path));
          keep(header);
        } else if (name.startsWith(WHITEOUT_PREFIX)) {
          content.removed.push(joinPath(parentOf(path), name.slice(WHITEOUT_PREFIX.length)));
          keep(header);
        } else {
          const info = { size: header.size ?? 0, mode: header.mode ?? 0 };
          const regular = header.type === 'file' || header.type === 'contiguous-file';
          if (header.type !== 'directory' && options.wants(path, info)) {
            if (regular && info.size > options.maxFileBytes) {
              content.tooLarge.push({ path, size: info.size });
              hide(path);
            } else if (regular) {
              const body = await readEntry(entry as AsyncIterable<Uint8Array>, info.size);
              content.files.set(path, { content: body, mode: info.mode });
              content.links.delete(path);
              keep(header, body);
              continue;
            } else if ((header.type === 'symlink' || header.type === 'link') && header.linkname) {
              content.links.set(path, { target: header.linkname, hard: header.type === 'link' });
              content.files.delete(path);
              keep(header);
            } else {
              // A device or fifo where a wanted file was: it hides the lower layers' file.
              hide(path);
            }
          }
        }
        entry.resume();
      }
    } catch (error) {
      blob.destroy();
      const failure = await piping;
      throw failure ?? error;
    }
    const failure = await piping;
    if (failure) throw failure;
  } catch (error) {
    pack?.destroy();
    await packed;
    if (partial) rmSync(partial, { force: true });
    throw error instanceof ImageError ? error : new ImageError(`${expected?.what ?? 'layer'}: ${(error as Error).message}`);
  }
  if (pack && partial && options.cacheFile) {
    pack.finalize();
    const failure = await packed;
    // A cache that cannot be written costs a re-read next time, nothing more.
    if (failure) rmSync(partial, { force: true });
    else renameSync(partial, options.cacheFile);
  }
  return { ...content, blobBytes: bytes };
}
