import type { Readable } from 'node:stream';
import { ImageError } from './digest.js';

/** Reads a small document (manifest, config, index.json) into memory, refusing one larger than `limit`. */
export async function readBounded(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      length += (chunk as Buffer).length;
      if (length > limit) throw new ImageError(`${what} is larger than ${limit} bytes: refused`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    stream.destroy();
    throw error instanceof ImageError ? error : new ImageError(`${what}: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks, length);
}
