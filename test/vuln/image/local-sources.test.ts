/**
 * Images on disk: an OCI image layout folder (one image, or an index of platforms, or named tags), a legacy
 * `docker save` tarball (manifest.json, uncompressed layer.tar verified against the config's diff IDs), and the
 * OCI layout inside a `docker save` tarball of Docker 25 and later.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dockerSaveTarball, image, index, layer, tarOf, writeLayout, type TarEntry } from '../../support/oci-images.js';
import { tempDir } from '../../support/temp-dir.js';
import { filesOf, read } from './support.js';

const BASE: TarEntry[] = [
  { path: 'etc/os-release', content: 'ID=base' },
  { path: 'var/lib/dpkg/status', content: 'Package: a' },
];
const TOP: TarEntry[] = [
  { path: 'var/lib/dpkg/status', content: 'Package: a\n\nPackage: b' },
  { path: 'etc/.wh.os-release' },
];

describe('OCI image layout folders', () => {
  it('reads the one image of a layout, whole folder or oci:DIR', async (t) => {
    const dir = tempDir('layout', t);
    const one = image([await layer(BASE), await layer(TOP)]);
    writeLayout(dir, [one], [{ blob: one.manifest }]);
    for (const reference of [dir, `oci:${dir}`]) {
      const result = await read(reference);
      assert.deepEqual(filesOf(result), { '/var/lib/dpkg/status': ['Package: a\n\nPackage: b', one.layers[1]!.digest] });
      assert.equal(result.inventory.digest, one.manifest.digest);
    }
  });

  it('chooses by tag (oci:DIR:TAG) and then by platform', async (t) => {
    const dir = tempDir('layout', t);
    const v1 = image([await layer(BASE)]);
    const v2amd = image([await layer([{ path: 'etc/os-release', content: 'ID=v2-amd64' }])]);
    const v2arm = image([await layer([{ path: 'etc/os-release', content: 'ID=v2-arm64' }])], { platform: { os: 'linux', architecture: 'arm64' } });
    const v2 = index([
      { image: v2amd, platform: { os: 'linux', architecture: 'amd64' } },
      { image: v2arm, platform: { os: 'linux', architecture: 'arm64' } },
    ]);
    writeLayout(dir, [v1, v2amd, v2arm], [
      { blob: v1.manifest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } },
      { blob: v2, annotations: { 'org.opencontainers.image.ref.name': 'v2' } },
    ], [v2]);
    assert.deepEqual(filesOf(await read(`oci:${dir}:v1`)), { '/etc/os-release': ['ID=base', v1.layers[0]!.digest], '/var/lib/dpkg/status': ['Package: a', v1.layers[0]!.digest] });
    assert.deepEqual(filesOf(await read(`oci:${dir}:v2`, { platform: 'linux/arm64' })), { '/etc/os-release': ['ID=v2-arm64', v2arm.layers[0]!.digest] });
    assert.deepEqual(filesOf(await read(`oci:${dir}:v2`)), { '/etc/os-release': ['ID=v2-amd64', v2amd.layers[0]!.digest] });
    await assert.rejects(read(`oci:${dir}:v3`), /no image named v3 in the index/);
    await assert.rejects(read(`oci:${dir}`), /has no image for linux\/amd64 \(it has: unknown, unknown\)/);
  });

  it('refuses a folder that is not a layout, and a blob that is missing', async (t) => {
    const dir = tempDir('layout', t);
    await assert.rejects(read(`oci:${dir}`), /not an OCI image layout \(no oci-layout and index.json\)/);
    const one = image([await layer(BASE)]);
    writeLayout(dir, [], [{ blob: one.manifest }], [one.manifest]);
    await assert.rejects(read(dir), new RegExp(`has no blob ${one.config.digest}`));
  });
});

describe('docker save tarballs', () => {
  it('reads the legacy format, verifying each layer.tar against the diff IDs of the config', async (t) => {
    const dir = tempDir('docker-save', t);
    const file = join(dir, 'app.tar');
    const tars = [await tarOf(BASE), await tarOf(TOP)];
    await dockerSaveTarball(file, tars, 'example.com/app:1');
    for (const reference of [file, `docker-archive:${file}`, `docker-archive:${file}:example.com/app:1`, `docker-archive:${file}:app:1`]) {
      const result = await read(reference);
      assert.deepEqual(filesOf(result), { '/var/lib/dpkg/status': ['Package: a\n\nPackage: b', result.inventory.layers[1]!] });
      assert.equal(result.inventory.digest, null);
    }
    await assert.rejects(read(`docker-archive:${file}:other:1`), /holds no image tagged other:1 \(it has: example.com\/app:1\)/);
  });

  it('refuses a legacy tarball whose layer.tar is not what the config says', async (t) => {
    const dir = tempDir('docker-save', t);
    const good = join(dir, 'good.tar');
    await dockerSaveTarball(good, [await tarOf(BASE)], 'app:1');
    // Same manifest.json and config, another layer.tar under the name: its sha256 is not the diff ID.
    const { readFileSync } = await import('node:fs');
    const original = readFileSync(good);
    const tampered = Buffer.from(original.toString('latin1').replace('Package: a', 'Package: z'), 'latin1');
    const bad = join(dir, 'bad.tar');
    writeFileSync(bad, tampered);
    await assert.rejects(read(bad), /layer 1 of 1 \(sha256:[0-9a-f]{64}\): content digest sha256:[0-9a-f]{64} does not match/);
  });

  it('reads the OCI layout that Docker 25 and later put inside the tarball', async (t) => {
    const dir = tempDir('docker-save', t);
    const one = image([await layer(BASE, 'none'), await layer(TOP, 'none')]);
    const blobs = [one.manifest, one.config, ...one.layers];
    const entries: TarEntry[] = [
      { path: 'oci-layout', content: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
      {
        path: 'index.json',
        content: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: one.manifest.mediaType, digest: one.manifest.digest, size: one.manifest.size, annotations: { 'io.containerd.image.name': 'docker.io/library/app:1', 'org.opencontainers.image.ref.name': '1' } }] }),
      },
      { path: 'manifest.json', content: '[]' },
      ...blobs.map((item) => ({ path: `blobs/sha256/${item.digest.slice(7)}`, content: item.bytes })),
    ];
    const file = join(dir, 'app.tar');
    writeFileSync(file, await tarOf(entries));
    assert.deepEqual(filesOf(await read(file)), { '/var/lib/dpkg/status': ['Package: a\n\nPackage: b', one.layers[1]!.digest] });
    assert.deepEqual(filesOf(await read(`docker-archive:${file}:app:1`)), { '/var/lib/dpkg/status': ['Package: a\n\nPackage: b', one.layers[1]!.digest] });
  });
});
