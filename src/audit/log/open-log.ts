/**
 * The bytes of one audit log, as a stream of chunks: a file or standard input, gunzipped when it starts with the
 * gzip magic bytes (rotated logs are often compressed, and their names do not always say so).
 */
import { createReadStream } from 'node:fs';
import { openStreamableFile } from '../../loader/safe-read.js';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Big enough that per-chunk costs vanish, small enough to stay in the CPU cache (measured: 64 KiB beat 256 KiB and 1 MiB). */
export const CHUNK_BYTES = 64 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Chunks of the log's (decompressed) bytes; read and decompression errors surface as rejections of the iteration. */
export function openLogChunks(source: string, stdin: AsyncIterable<Uint8Array>): AsyncIterable<Buffer> {
  const raw: AsyncIterable<Uint8Array> = source === '-' ? stdin : fileChunks(source);
  return gunzipIfCompressed(raw);
}

/** A log file's chunks; a device (/dev/zero would stream forever) is refused when the iteration starts. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  yield* createReadStream(path, { fd: openStreamableFile(path), highWaterMark: CHUNK_BYTES });
}

async function* gunzipIfCompressed(raw: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const iterator = raw[Symbol.asyncIterator]();
  // A pipe may deliver a single byte first: gather two before deciding.
  let head: Buffer = Buffer.alloc(0);
  while (head.length < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) {
      if (head.length > 0) yield head;
      return;
    }
    head = head.length === 0 ? asBuffer(next.value) : Buffer.concat([head, next.value]);
  }
  const rest = remaining(head, iterator);
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield* rest;
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  // pipeline destroys the gunzip stream with the input's error too, so either failure ends the iteration below.
  pipeline(Readable.from(rest, { objectMode: false }), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    gunzip.destroy();
  }
}

async function* remaining(head: Buffer, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  yield head;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield asBuffer(next.value);
    }
  } finally {
    await iterator.return?.(); // closes the file when the reader stops early
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
