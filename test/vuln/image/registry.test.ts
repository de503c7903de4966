/**
 * Reading images from the real distribution registry (test/go-tools/registry): pushed over the distribution API,
 * then read back by tag and by digest, anonymously, with HTTP basic credentials from a Docker config, and with
 * bearer tokens from the challenge's realm; indexes with a platform choice; gzip, zstd and plain layers with
 * whiteouts across them; the layer cache.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseDockerConfig } from '../../../src/vuln/image/docker-config.js';
import { image, index, layer, push, zstdMissing, type Image } from '../../support/oci-images.js';
import { startRegistry, type Registry, type RegistryAuth } from '../../support/registry-harness.js';
import { tempDir } from '../../support/temp-dir.js';
import { fileExtractor, filesOf, read } from './support.js';

/** base: three files; middle (zstd): deletes one, hides /etc/app/ with an opaque whiteout, adds one; top (plain): a symlink. */
async function layeredImage(docker = false): Promise<Image> {
  const base = await layer([
    { path: 'etc/', type: 'directory' },
    { path: 'etc/os-release', content: 'ID=test' },
    { path: 'etc/app/old.conf', content: 'old' },
    { path: 'etc/removed', content: 'gone' },
    { path: 'usr/bin/tool', content: 'not wanted' },
  ]);
  const middle = await layer(
    [
      { path: 'etc/.wh.removed' },
      { path: 'etc/app/.wh..wh..opq' },
      { path: 'etc/app/new.conf', content: 'new' },
    ],
    zstdMissing() ? 'gzip' : 'zstd',
  );
  const top = await layer([{ path: './etc/app/link.conf', type: 'symlink', linkname: 'new.conf' }], 'none');
  return image([base, middle, top], { docker });
}

/** Starts a registry for the suite and pushes `repository:tag` to it; `registry` stays undefined with `skip` when it cannot run. */
function registryWith(auth: RegistryAuth, repository: string, tag: string): { registry?: Registry; skip?: string; pushed?: Image } {
  const state: { registry?: Registry; skip?: string; pushed?: Image } = {};
  before(async () => {
    const started = await startRegistry(auth);
    if ('skip' in started) {
      state.skip = started.skip;
      return;
    }
    state.registry = started;
    state.pushed = await layeredImage();
    await push(started, repository, tag, [state.pushed]);
  });
  after(() => state.registry?.stop());
  return state;
}

const EXPECTED_FILES = (layers: readonly { digest: string }[]) => ({
  '/etc/os-release': ['ID=test', layers[0]!.digest],
  '/etc/app/new.conf': ['new', layers[1]!.digest],
  '/etc/app/link.conf': ['new', layers[2]!.digest],
});

describe('the real registry, anonymous', () => {
  const state = registryWith('anonymous', 'team/app', '1.0');

  it('reads an image by tag: whiteouts and opaque folders honoured across gzip, zstd and plain layers', async (t) => {
    const { registry, pushed } = state;
    if (!registry || !pushed) return t.skip(state.skip);
    const result = await read(`${registry.host}/team/app:1.0`);
    assert.deepEqual(filesOf(result), EXPECTED_FILES(pushed.layers));
    assert.equal(result.inventory.digest, pushed.manifest.digest);
    assert.deepEqual(result.inventory.layers, pushed.layers.map((l) => l.digest));
    assert.equal(result.inventory.platform, 'linux/amd64');
    assert.equal(result.stats.layersRead, 3);
    assert.equal(result.stats.bytesRead, pushed.manifest.size + pushed.config.size + pushed.layers.reduce((sum, l) => sum + l.size, 0));
  });

  it('reads an image by digest', async (t) => {
    const { registry, pushed } = state;
    if (!registry || !pushed) return t.skip(state.skip);
    const result = await read(`${registry.host}/team/app@${pushed.manifest.digest}`);
    assert.deepEqual(filesOf(result), EXPECTED_FILES(pushed.layers));
  });

  it('reads Docker v2 schema 2 manifests and manifest lists, choosing the --platform', async (t) => {
    const { registry, pushed } = state;
    if (!registry || !pushed) return t.skip(state.skip);
    const amd64 = await layeredImage(true);
    const arm64 = image([await layer([{ path: 'etc/os-release', content: 'ID=arm' }])], { docker: true, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    const list = index(
      [
        { image: amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { image: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
      true,
    );
    await push(registry, 'team/multi', 'latest', [amd64, arm64], list);
    const onAmd64 = await read(`${registry.host}/team/multi`);
    assert.deepEqual(filesOf(onAmd64), EXPECTED_FILES(amd64.layers));
    assert.equal(onAmd64.inventory.digest, amd64.manifest.digest);
    const onArm64 = await read(`${registry.host}/team/multi`, { platform: 'linux/arm64' });
    assert.deepEqual(filesOf(onArm64), { '/etc/os-release': ['ID=arm', arm64.layers[0]!.digest] });
    assert.equal(onArm64.inventory.platform, 'linux/arm64/v8');
    await assert.rejects(read(`${registry.host}/team/multi`, { platform: 'linux/s390x' }), /has no image for linux\/s390x \(it has: linux\/amd64, linux\/arm64\/v8\)/);
  });

  it('takes layers it has read before from the cache, and reads nothing from the registry for them', async (t) => {
    const { registry, pushed } = state;
    if (!registry || !pushed) return t.skip(state.skip);
    const cacheDir = tempDir('layer-cache', t);
    const cold = await read(`${registry.host}/team/app:1.0`, { cacheDir });
    const warm = await read(`${registry.host}/team/app:1.0`, { cacheDir });
    assert.deepEqual(filesOf(warm), filesOf(cold));
    assert.deepEqual([cold.stats.layersRead, cold.stats.layersCached], [3, 0]);
    assert.deepEqual([warm.stats.layersRead, warm.stats.layersCached], [0, 3]);
    assert.equal(warm.stats.bytesRead, pushed.manifest.size + pushed.config.size);
    // Another extractor wants other files: its cache is its own.
    const other = await read(`${registry.host}/team/app:1.0`, { cacheDir, extractor: fileExtractor(['/usr']) });
    assert.deepEqual(filesOf(other), { '/usr/bin/tool': ['not wanted', pushed.layers[0]!.digest] });
    assert.equal(other.stats.layersRead, 3);
    assert.equal(readdirSync(`${cacheDir}/layers`).length, 2);
  });

  it('names an image or tag the registry does not have', async (t) => {
    const { registry, pushed } = state;
    if (!registry || !pushed) return t.skip(state.skip);
    await assert.rejects(read(`${registry.host}/team/app:2.0`), /answered 404 \(MANIFEST_UNKNOWN: manifest unknown\)/);
    await assert.rejects(read(`${registry.host}/nobody/here:1`), /nobody\/here:1: 127\.0\.0\.1:\d+ answered 404 \(MANIFEST_UNKNOWN: manifest unknown\)/);
  });
});

describe('the real registry with htpasswd (HTTP basic) authentication', () => {
  const state = registryWith('htpasswd', 'private/app', 'v1');

  it('reads with the credentials of the Docker config, and says what is missing without them', async (t) => {
    const { registry, pushed } = state;
    if (!registry?.user || !pushed) return t.skip(state.skip);
    const auth = Buffer.from(`${registry.user.username}:${registry.user.password}`).toString('base64');
    const credentials = parseDockerConfig(JSON.stringify({ auths: { [`http://${registry.host}`]: { auth } } }), 'config.json');
    const result = await read(`${registry.host}/private/app:v1`, { credentials });
    assert.deepEqual(filesOf(result), EXPECTED_FILES(pushed.layers));
    await assert.rejects(read(`${registry.host}/private/app:v1`), /refused access \(401 UNAUTHORIZED: authentication required\): no credentials for it in the Docker config/);
    const wrong = parseDockerConfig(JSON.stringify({ auths: { [registry.host]: { username: 'docker', password: 'wrong' } } }), 'config.json');
    await assert.rejects(read(`${registry.host}/private/app:v1`, { credentials: wrong }), /the credentials of the Docker config were refused/);
    // Helpers themselves: test/vuln/image/credential-helper.test.ts.
    const helper = parseDockerConfig(JSON.stringify({ credsStore: 'kubeharden-test-absent' }), 'config.json');
    await assert.rejects(read(`${registry.host}/private/app:v1`, { credentials: helper }), /the Docker config names the credential helper docker-credential-kubeharden-test-absent for 127\.0\.0\.1:\d+, but it is not on the PATH/);
  });
});

describe('the real registry with token authentication (bearer challenge)', () => {
  const state = registryWith('token', 'public/app', 'v1');

  it('follows the challenge to the realm for an anonymous pull token, and for one with credentials', async (t) => {
    const { registry, pushed } = state;
    if (!registry?.user || !pushed) return t.skip(state.skip);
    registry.tokenRequests.length = 0;
    const anonymous = await read(`${registry.host}/public/app:v1`);
    assert.deepEqual(filesOf(anonymous), EXPECTED_FILES(pushed.layers));
    // One token for the whole image: it is kept for the manifest, the config and the three layers.
    assert.deepEqual(registry.tokenRequests, [{ scope: 'repository:public/app:pull', authenticated: false }]);
    registry.tokenRequests.length = 0;
    const credentials = parseDockerConfig(JSON.stringify({ auths: { [registry.host]: { username: registry.user.username, password: registry.user.password } } }), 'config.json');
    const authenticated = await read(`${registry.host}/public/app:v1`, { credentials });
    assert.deepEqual(filesOf(authenticated), EXPECTED_FILES(pushed.layers));
    assert.deepEqual(registry.tokenRequests, [{ scope: 'repository:public/app:pull', authenticated: true }]);
  });
});
