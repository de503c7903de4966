/**
 * One HTTP(S) download streamed to a file: redirects followed (at most 5), a deadline for the whole transfer, a
 * size limit, and the MD5 that Google Cloud Storage announces in `x-goog-hash` checked against the bytes written
 * (OSV's exports are served from a GCS bucket; a mirror without the header is trusted on the zip's own CRCs).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface DownloadOptions {
  /** Send `If-None-Match`: a 304 answer means the copy on disk is current. */
  readonly etag?: string | null;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export type DownloadResult =
  | { readonly status: 'downloaded'; readonly bytes: number; readonly md5: string; readonly etag: string | null; readonly verified: boolean; readonly url: string }
  | { readonly status: 'not-modified'; readonly url: string };

/** A final answer other than 200 (or 304): the caller may tell "not there" (404) from a failure. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function request(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.startsWith('https:') ? https : url.startsWith('http:') ? http : null;
  if (!client) return Promise.reject(new Error(`unsupported URL ${url}: only http and https`));
  return new Promise((resolve, reject) => {
    const outgoing = client.get(url, { headers, signal }, resolve);
    outgoing.on('error', reject);
  });
}

/** `x-goog-hash: crc32c=…,md5=…` → the MD5 as hex, or null. */
function announcedMd5(header: string | string[] | undefined): string | null {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const md5 = /(?:^|,)\s*md5=([A-Za-z0-9+/=]+)/.exec(text)?.[1];
  return md5 ? Buffer.from(md5, 'base64').toString('hex') : null;
}

export async function downloadToFile(url: string, path: string, options: DownloadOptions): Promise<DownloadResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let location = url;
  for (let redirects = 0; ; redirects++) {
    const headers: Record<string, string> = { 'user-agent': 'kubeharden (vuln db update)' };
    if (options.etag) headers['if-none-match'] = options.etag;
    const response = await request(location, headers, signal);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304 && response.headers.location) {
      response.resume();
      if (redirects >= 5) throw new Error(`${url}: more than 5 redirects`);
      location = new URL(response.headers.location, location).toString();
      continue;
    }
    if (status === 304) {
      response.resume();
      return { status: 'not-modified', url: location };
    }
    if (status !== 200) {
      response.resume();
      throw new HttpStatusError(status, `${location}: HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
    }
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared > options.maxBytes) {
      response.destroy();
      throw new Error(`${location}: ${declared} bytes is over the limit of ${options.maxBytes}`);
    }
    const hash = createHash('md5');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > options.maxBytes) return callback(new Error(`${location}: more than the limit of ${options.maxBytes} bytes`));
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(response, meter, createWriteStream(path));
    if (!Number.isNaN(declared) && declared !== bytes) throw new Error(`${location}: ${bytes} bytes received, ${declared} announced`);
    const md5 = hash.digest('hex');
    const expected = announcedMd5(response.headers['x-goog-hash']);
    if (expected !== null && expected !== md5) throw new Error(`${location}: MD5 ${md5} does not match the announced ${expected}`);
    const etag = typeof response.headers.etag === 'string' ? response.headers.etag : null;
    return { status: 'downloaded', bytes, md5, etag, verified: expected !== null, url: location };
  }
}
