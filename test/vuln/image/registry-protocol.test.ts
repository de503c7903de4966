/** The small pieces of the registry protocol, table-driven: challenges, Retry-After, Docker config credentials, platforms. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDockerConfig, registryKey } from '../../../src/vuln/image/docker-config.js';
import { parsePlatform } from '../../../src/vuln/image/manifest.js';
import { parseChallenge, retryAfterMs } from '../../../src/vuln/image/registry-client.js';

describe('registry protocol pieces', () => {
  it('parses WWW-Authenticate challenges, quoted commas included', () => {
    const cases: [string, ReturnType<typeof parseChallenge>][] = [
      ['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"', { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } }],
      ['Bearer realm="https://ghcr.io/token",scope="repository:a/b:pull,push"', { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', scope: 'repository:a/b:pull,push' } }],
      ['Basic realm="Registry Realm"', { scheme: 'basic', params: { realm: 'Registry Realm' } }],
      ['Basic realm=plain', { scheme: 'basic', params: { realm: 'plain' } }],
      ['', null],
    ];
    for (const [header, expected] of cases) assert.deepEqual(parseChallenge(header), expected, header);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    const cases: [string | null, number | null][] = [['5', 5000], [' 0 ', 0], ['Thu, 03 Dec 2026 12:00:30 GMT', 30_000], ['Thu, 03 Dec 2026 11:00:00 GMT', 0], ['soon', null], [null, null]];
    for (const [header, expected] of cases) assert.equal(retryAfterMs(header, now), expected, String(header));
  });

  it('takes credentials from auths (auth or username/password), names the helper of each registry, maps Docker Hub names together', () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:secret:with:colons').toString('base64') },
          'registry.example.com': { username: 'u', password: 'p' },
          'empty.example.com': {},
        },
        credHelpers: { 'gcr.io': 'gcloud' },
      }),
      'config.json',
    );
    assert.deepEqual(config.lookup('docker.io'), { username: 'hub', password: 'secret:with:colons' });
    assert.deepEqual(config.lookup('registry-1.docker.io'), { username: 'hub', password: 'secret:with:colons' });
    assert.deepEqual(config.lookup('registry.example.com'), { username: 'u', password: 'p' });
    assert.equal(config.lookup('empty.example.com'), null);
    assert.equal(config.helperFor('gcr.io'), 'docker-credential-gcloud');
    assert.equal(config.helperFor('quay.io'), null);
    // With a credsStore every registry without its own credHelpers entry goes to it, auths or not (as in Docker).
    const store = parseDockerConfig(JSON.stringify({ auths: { 'registry.example.com': { username: 'u', password: 'p' } }, credHelpers: { 'gcr.io': 'gcloud' }, credsStore: 'desktop' }), 'config.json');
    assert.equal(store.helperFor('quay.io'), 'docker-credential-desktop');
    assert.equal(store.helperFor('registry.example.com'), 'docker-credential-desktop');
    assert.equal(store.helperFor('gcr.io'), 'docker-credential-gcloud');
    assert.deepEqual(['https://index.docker.io/v1/', 'localhost:5000', 'HTTP://Registry.Example.com/path'].map(registryKey), ['docker.io', 'localhost:5000', 'registry.example.com']);
    assert.throws(() => parseDockerConfig('{', 'bad.json'), /bad\.json is not JSON/);
  });

  it('parses --platform', () => {
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    for (const bad of ['linux', 'linux/', '/amd64', 'a/b/c/d']) assert.throws(() => parsePlatform(bad), /is not os\/architecture/, bad);
  });
});
