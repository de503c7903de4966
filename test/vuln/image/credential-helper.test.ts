/**
 * Docker credential helpers (`credsStore`, `credHelpers`) with the real `docker-credential-pass` of
 * docker/docker-credential-helpers (test/go-tools/docker-credential-pass) over Debian's `pass` and GnuPG: a
 * throwaway GNUPGHOME and key in a temporary folder, the registry's credentials stored with the helper's own
 * `store`, then `kubeharden vuln --image` pulls from the htpasswd-protected real registry. The faults (a helper that
 * is missing, fails, answers nonsense or is named as a path) use small helper scripts; no message holds the secret.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliAsync } from '../../support/cli-process.js';
import { goToolBinary } from '../../support/go-tool.js';
import { image, layer, push } from '../../support/oci-images.js';
import { needsShared, sharedPath } from '../../support/paths.js';
import { startRegistry, type Registry } from '../../support/registry-harness.js';
import { tempDir } from '../../support/temp-dir.js';

const LOCK = JSON.stringify({ name: 'web', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'web', version: '1.0.0' }, 'node_modules/minimist': { version: '1.2.5' } } });

function missingTools(): string | null {
  const missing = ['pass', 'gpg', 'gpgconf'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  return missing.length > 0 ? `${missing.join(', ')} not installed (apt-get install pass gnupg)` : null;
}

describe('Docker credential helpers', { skip: needsShared, timeout: 180_000 }, () => {
  let registry: Registry | undefined;
  let skip: string | undefined;
  let dir = '';
  /** What the CLI runs with: the helper on the PATH, the throwaway key ring and password store. */
  let env: Record<string, string> = {};
  let helper = '';

  const run = (repository: string, config: object, extraEnv: Record<string, string> = {}) => {
    const configFile = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(configFile, JSON.stringify(config));
    return runCliAsync(['vuln', '--image', `${registry!.host}/${repository}:1`, '--db', sharedPath('vuln', 'advisories', 'npm'), '--docker-config', configFile, '--no-cache', '--fail-on', 'none', '-o', 'json'], { ...env, ...extraEnv });
  };
  const ids = (stdout: string) => (JSON.parse(stdout) as { findings: { vulnerability: { id: string } }[] }).findings.map((finding) => finding.vulnerability.id);
  const errors = (stdout: string) => (JSON.parse(stdout) as { errors: { message: string }[] }).errors.map((error) => error.message);

  before(async () => {
    const binary = goToolBinary('docker-credential-pass');
    const tools = missingTools();
    if (typeof binary !== 'string' || tools) {
      skip = typeof binary !== 'string' ? binary.missing : tools!;
      if (process.env['CI']) throw new Error(skip);
      return;
    }
    helper = binary;
    const started = await startRegistry('htpasswd');
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    registry = started;
    await push(registry, 'private/web', '1', [image([await layer([{ path: 'app/package-lock.json', content: LOCK }])])]);
    dir = tempDir('credential-helper');
    const gnupg = join(dir, 'gnupg');
    mkdirSync(gnupg, { mode: 0o700 });
    env = { GNUPGHOME: gnupg, PASSWORD_STORE_DIR: join(dir, 'store'), PATH: `${dirname(helper)}${delimiter}${process.env['PATH'] ?? ''}` };
    const sh = (command: string, args: string[], input?: string) => {
      const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', input });
      assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    // A key without a passphrase (signing primary, encryption subkey) only this test's key ring holds.
    sh('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'kubeharden test <test@example.invalid>', 'ed25519', 'sign', 'never']);
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(sh('gpg', ['--batch', '--list-keys', '--with-colons']))![1]!;
    sh('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-add-key', fingerprint, 'cv25519', 'encr', 'never']);
    sh('pass', ['init', fingerprint]);
    sh(helper, ['store'], JSON.stringify({ ServerURL: registry.host, Username: registry.user!.username, Secret: registry.user!.password }));
    assert.equal(sh(helper, ['list']).trim(), JSON.stringify({ [registry.host]: registry.user!.username }));
  });
  after(async () => {
    if (env['GNUPGHOME']) spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, ...env } });
    await registry?.stop();
  });

  it('credsStore: the real pass helper gives the credentials and the private image is scanned', async (t) => {
    if (!registry) return t.skip(skip);
    const result = await run('private/web', { credsStore: 'pass' });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(ids(result.stdout), ['GHSA-xvch-5gv4-984h']);
    assert.ok(!result.stdout.includes(registry.user!.password) && !result.stderr.includes(registry.user!.password));
  });

  it('credHelpers: the registry’s own entry wins over credsStore and over auths', async (t) => {
    if (!registry) return t.skip(skip);
    const result = await run('private/web', { credsStore: 'nothing-here', credHelpers: { [registry.host]: 'pass' }, auths: { [registry.host]: { username: 'docker', password: 'wrong' } } });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(ids(result.stdout), ['GHSA-xvch-5gv4-984h']);
  });

  it('a helper without credentials for the registry: refused, saying so', async (t) => {
    if (!registry) return t.skip(skip);
    const empty = join(dir, 'empty-store');
    spawnSync('pass', ['init', 'nobody@example.invalid'], { env: { ...process.env, ...env, PASSWORD_STORE_DIR: empty } });
    const result = await run('private/web', { credsStore: 'pass' }, { PASSWORD_STORE_DIR: empty });
    assert.equal(result.code, 2);
    assert.deepEqual(errors(result.stdout), [`${registry.host}/private/web:1: ${registry.host} refused access (401 UNAUTHORIZED: authentication required): docker-credential-pass has no credentials for it`]);
  });

  it('a helper that is missing, fails, answers nonsense or is named as a path: a clear error, never the secret', async (t) => {
    if (!registry) return t.skip(skip);
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const script = (name: string, body: string) => {
      writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, `docker-credential-${name}`), 0o755);
    };
    script('locked', 'echo "error getting credentials: the keychain is locked" >&2; exit 3');
    script('leaky', `echo 'Username=docker Secret=${registry.user!.password}'`);
    script('token', `cat >/dev/null; echo '{"ServerURL":"x","Username":"<token>","Secret":"${registry.user!.password}"}'`);
    const path = { PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` };
    const cases: [object, string][] = [
      [{ credsStore: 'absent' }, `the Docker config names the credential helper docker-credential-absent for ${registry.host}, but it is not on the PATH`],
      [{ credsStore: 'locked' }, `docker-credential-locked get for ${registry.host} failed (exit 3): error getting credentials: the keychain is locked`],
      [{ credsStore: 'leaky' }, `docker-credential-leaky get for ${registry.host} answered something that is not the helper protocol's JSON`],
      [{ credsStore: 'token' }, `docker-credential-token holds an identity token for ${registry.host} (Username "<token>"); kubeharden sends only a user name and password`],
      [{ credHelpers: { [registry.host]: '../../bin/sh' } }, `the Docker config names the credential helper "docker-credential-../../bin/sh" for ${registry.host}, which is not a helper name`],
    ];
    for (const [config, message] of cases) {
      const result = await run('private/web', config, path);
      assert.equal(result.code, 2, JSON.stringify(config));
      assert.deepEqual(errors(result.stdout), [`${registry.host}/private/web:1: ${message}`], JSON.stringify(config));
      assert.ok(!result.stdout.includes(registry.user!.password) && !result.stderr.includes(registry.user!.password), JSON.stringify(config));
    }
  });
});
