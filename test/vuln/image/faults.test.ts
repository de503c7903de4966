/**
 * Faults a real registry does not produce, from a small fake one: layers whose size or digest lies, a corrupt
 * gzip stream, a manifest that is not what the registry's digest header says, 429 with Retry-After; and a huge
 * layer read in bounded memory.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { describe, it } from 'node:test';
import { startFakeServer } from '../../support/local-server.js';
import { blob, image, layer, type Blob, type Image } from '../../support/oci-images.js';
import { filesOf, read } from './support.js';

interface Served {
  readonly manifest: Blob;
  readonly blobs: Map<string, Buffer | (() => AsyncIterable<Buffer>)>;
}

/** Serves one repository `app` with tag `1`; `intercept` may answer a request itself (return true). */
async function fakeRegistry(served: Served, intercept?: (request: http.IncomingMessage, response: http.ServerResponse, index: number) => boolean) {
  return startFakeServer((request, response, index) => {
    if (intercept?.(request, response, index)) return;
    const url = request.url ?? '';
    if (url === '/v2/app/manifests/1' || url === `/v2/app/manifests/${served.manifest.digest}`) {
      response.writeHead(200, { 'content-type': served.manifest.mediaType, 'docker-content-digest': served.manifest.digest }).end(served.manifest.bytes);
      return;
    }
    const body = served.blobs.get(url.replace('/v2/app/blobs/', ''));
    if (!body) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    if (Buffer.isBuffer(body)) {
      response.end(body);
      return;
    }
    void (async () => {
      for await (const chunk of body()) if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      response.end();
    })();
  });
}

function servedImage(one: Image, layerBodies?: Buffer[]): Served {
  return {
    manifest: one.manifest,
    blobs: new Map<string, Buffer>([[one.config.digest, one.config.bytes], ...one.layers.map((l, i) => [l.digest, layerBodies?.[i] ?? l.bytes] as [string, Buffer])]),
  };
}

/** An image whose manifest declares `declare` for its one layer, whatever the layer really is. */
function withLayerDescriptor(one: Image, declare: { digest?: string; size?: number }): Image {
  const manifest = JSON.parse(one.manifest.bytes.toString()) as { layers: { digest: string; size: number }[] };
  Object.assign(manifest.layers[0]!, declare);
  return { ...one, manifest: blob(one.manifest.mediaType, Buffer.from(JSON.stringify(manifest))) };
}

const FILES = [{ path: 'etc/os-release', content: 'ID=fake' }];

describe('registries and images that lie', () => {
  const cases: { name: string; make: (one: Image) => { image: Image; bodies?: Buffer[] }; error: RegExp }[] = [
    {
      name: 'a layer bigger than its descriptor says',
      make: (one) => ({ image: withLayerDescriptor(one, { size: one.layers[0]!.size - 10 }) }),
      error: /layer 1 of 1 \(sha256:[0-9a-f]{64}\): more than the \d+ bytes its descriptor declares/,
    },
    {
      name: 'a layer smaller than its descriptor says',
      make: (one) => ({ image: withLayerDescriptor(one, { size: one.layers[0]!.size + 10 }) }),
      error: /layer 1 of 1 \(sha256:[0-9a-f]{64}\): (\d+) bytes, but its descriptor declares \d+/,
    },
    {
      name: 'a layer whose content is not its digest',
      make: (one) => ({ image: one, bodies: [Buffer.from(one.layers[0]!.bytes.map((byte, i) => (i === 20 ? byte ^ 1 : byte)))] }),
      error: /content digest sha256:[0-9a-f]{64} does not match sha256:[0-9a-f]{64}/,
    },
    {
      name: 'a corrupt gzip stream (whose digest the manifest vouches for)',
      make: (one) => {
        const corrupt = Buffer.concat([one.layers[0]!.bytes.subarray(0, 12), Buffer.alloc(64, 0xff)]);
        const digest = `sha256:${createHash('sha256').update(corrupt).digest('hex')}`;
        const lying = withLayerDescriptor(one, { digest, size: corrupt.length });
        return { image: { ...lying, layers: [{ ...one.layers[0]!, digest, size: corrupt.length, bytes: corrupt }] } };
      },
      error: /layer 1 of 1 \(sha256:[0-9a-f]{64}\): (invalid|unknown|incorrect|unexpected end)/i,
    },
  ];
  for (const { name, make, error } of cases) {
    it(`refuses ${name}, with a message naming the layer`, async (t) => {
      const { image: one, bodies } = make(image([await layer(FILES)]));
      const server = await fakeRegistry(servedImage(one, bodies));
      t.after(() => server.close());
      await assert.rejects(read(`127.0.0.1:${server.port}/app:1`), error);
    });
  }

  it('refuses a manifest that is not what the registry\'s Docker-Content-Digest or the pinned digest says', async (t) => {
    const one = image([await layer(FILES)]);
    const other = `sha256:${'0'.repeat(64)}`;
    const server = await fakeRegistry(servedImage(one), (request, response) => {
      if (request.url !== '/v2/app/manifests/1') return false;
      response.writeHead(200, { 'content-type': one.manifest.mediaType, 'docker-content-digest': other }).end(one.manifest.bytes);
      return true;
    });
    t.after(() => server.close());
    await assert.rejects(read(`127.0.0.1:${server.port}/app:1`), new RegExp(`manifest: content digest ${one.manifest.digest} does not match ${other}`));
    await assert.rejects(read(`127.0.0.1:${server.port}/app@${other}`), /answered 404/);
    await assert.rejects(read(`127.0.0.1:${server.port}/app@sha512:${'0'.repeat(128)}`), /only sha256 digests are supported/);
  });
});

describe('rate limits', () => {
  it('waits as long as Retry-After says and tries again, a bounded number of times', async (t) => {
    const one = image([await layer(FILES)]);
    let limited = 0;
    const server = await fakeRegistry(servedImage(one), (request, response) => {
      if (!request.url?.includes('/blobs/') || limited >= 2) return false;
      limited++;
      response.writeHead(429, { 'retry-after': '1' }).end('slow down');
      return true;
    });
    t.after(() => server.close());
    const started = Date.now();
    const result = await read(`127.0.0.1:${server.port}/app:1`);
    assert.deepEqual(filesOf(result), { '/etc/os-release': ['ID=fake', one.layers[0]!.digest] });
    assert.ok(Date.now() - started >= 2000, 'waited the two seconds Retry-After asked for');
    assert.equal(limited, 2);
  });

  it('gives up after the retries, or at once when Retry-After asks for more than it waits', async (t) => {
    const one = image([await layer(FILES)]);
    const server = await fakeRegistry(servedImage(one), (request, response) => {
      if (!request.url?.includes('/manifests/')) return false;
      response.writeHead(429, { 'retry-after': '0' }).end();
      return true;
    });
    t.after(() => server.close());
    await assert.rejects(read(`127.0.0.1:${server.port}/app:1`, { maxRetries: 2 }), /rate-limited the request \(429\) 3 times; giving up/);
    assert.equal(server.seen.length, 3);
    const patient = await fakeRegistry(servedImage(one), (request, response) => {
      response.writeHead(429, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }).end();
      return true;
    });
    t.after(() => patient.close());
    await assert.rejects(read(`127.0.0.1:${patient.port}/app:1`), /asks to wait 3600 s, more than the 5 s we wait/);
    assert.equal(patient.seen.length, 1);
  });
});

describe('huge layers', () => {
  it('streams a 256 MiB layer without holding it: memory stays flat, only the wanted file is kept', async (t) => {
    const SIZE = 256 * 1024 * 1024;
    const CHUNK = Buffer.alloc(1024 * 1024, 0x61);
    const header = (name: string, size: number) => {
      const block = Buffer.alloc(512);
      block.write(name, 0);
      block.write('0000644\0', 100);
      block.write('0000000\0', 108);
      block.write('0000000\0', 116);
      block.write(size.toString(8).padStart(11, '0') + '\0', 124);
      block.write('00000000000\0', 136);
      block.write('0', 156);
      block.write('ustar\0' + '00', 257);
      block.fill(0x20, 148, 156);
      let sum = 0;
      for (const byte of block) sum += byte;
      block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
      return block;
    };
    const wanted = Buffer.from('ID=huge');
    const body = async function* (): AsyncIterable<Buffer> {
      yield header('opt/big.bin', SIZE);
      for (let sent = 0; sent < SIZE; sent += CHUNK.length) yield CHUNK;
      yield header('etc/os-release', wanted.length);
      yield Buffer.concat([wanted, Buffer.alloc(512 - wanted.length)]);
      yield Buffer.alloc(1024);
    };
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body()) {
      hash.update(chunk);
      size += chunk.length;
    }
    const digest = `sha256:${hash.digest('hex')}`;
    const fake = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size, bytes: Buffer.alloc(0), diffId: digest };
    const one = image([fake]);
    const server = await fakeRegistry({ manifest: one.manifest, blobs: new Map<string, Buffer | (() => AsyncIterable<Buffer>)>([[one.config.digest, one.config.bytes], [digest, body]]) });
    t.after(() => server.close());
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }, 20);
    try {
      const result = await read(`127.0.0.1:${server.port}/app:1`);
      assert.deepEqual(filesOf(result), { '/etc/os-release': ['ID=huge', digest] });
      assert.equal(result.stats.bytesRead, one.manifest.size + one.config.size + size);
    } finally {
      clearInterval(sampler);
    }
    assert.ok(peak < 64 * 1024 * 1024, `memory grew by ${Math.round(peak / 1048576)} MiB while reading a 256 MiB layer`);
  });
});
