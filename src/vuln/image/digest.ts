import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** The only digest algorithm we verify; OCI allows sha512 too, which is refused by name rather than trusted. */
const SHA256 = /^sha256:[a-f0-9]{64}$/;

export function isSha256Digest(digest: string): boolean {
  return SHA256.test(digest);
}

/** Checks a digest's form before anything is fetched by it: a path-like digest must never reach a URL or file name. */
export function checkDigest(digest: unknown, what: string): string {
  if (typeof digest !== 'string') throw new ImageError(`${what} has no digest`);
  if (!isSha256Digest(digest)) {
    const algorithm = digest.includes(':') ? digest.slice(0, digest.indexOf(':')) : digest;
    throw new ImageError(`${what} has digest ${JSON.stringify(digest.slice(0, 80))}: only sha256 digests are supported (got ${JSON.stringify(algorithm.slice(0, 20))})`);
  }
  return digest;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** An error about one image (bad manifest, digest mismatch, registry refusal): reported for it, the scan goes on. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

/** What a descriptor promises about a blob. `size` null: the source gives none (a `docker save` legacy layer). */
export interface ExpectedBlob {
  readonly digest: string;
  readonly size: number | null;
  /** For messages: `layer 2 of registry/app:1`. */
  readonly what: string;
}

/**
 * Passes bytes through while hashing and counting them. Fails as soon as more bytes arrive than the descriptor
 * promised (so a lying size cannot make us read without end), and at the end when fewer came or the digest differs.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  constructor(private readonly expected: ExpectedBlob) {
    super();
  }

  get bytesSeen(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    const { size, what } = this.expected;
    if (size !== null && this.count > size) {
      callback(new ImageError(`${what}: more than the ${size} bytes its descriptor declares`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { size, digest, what } = this.expected;
    if (size !== null && this.count !== size) {
      callback(new ImageError(`${what}: ${this.count} bytes, but its descriptor declares ${size}`));
      return;
    }
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (actual !== digest) {
      callback(new ImageError(`${what}: content digest ${actual} does not match ${digest}`));
      return;
    }
    callback();
  }
}

/** Checks a small blob held in memory (a manifest, a config) against what its descriptor promises. */
export function verifyBytes(bytes: Buffer, expected: ExpectedBlob): void {
  if (expected.size !== null && bytes.length !== expected.size) {
    throw new ImageError(`${expected.what}: ${bytes.length} bytes, but its descriptor declares ${expected.size}`);
  }
  const actual = sha256Digest(bytes);
  if (actual !== expected.digest) throw new ImageError(`${expected.what}: content digest ${actual} does not match ${expected.digest}`);
}
