/**
 * The kubectl plugin through krew: plugins/kubeharden.yaml is what scripts/krew-manifest.mjs writes from the single
 * executable's release archive, krew's own validator (validate-krew-manifest, built from sigs.k8s.io/krew v0.4.3)
 * accepts it, installing every platform it lists the way krew-index's checks do, and the real krew installs the
 * archive into an empty KREW_ROOT, after which the real kubectl runs `kubectl kubeharden`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { goToolBinary } from '../support/go-tool.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { seaBinary, type SeaBinary } from '../support/sea-binary.js';
import { tempDir } from '../support/temp-dir.js';

interface KrewManifestModule {
  krewManifest(archives: readonly string[], releaseUrl?: string): string;
}
const { krewManifest } = (await import(pathToFileURL(resolve(PROJECT_ROOT, 'scripts', 'krew-manifest.mjs')).href)) as KrewManifestModule;

const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((path) => existsSync(path));
const COMMITTED = join(PROJECT_ROOT, 'plugins', 'kubeharden.yaml');
const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const dir = tempDir('krew');
let built: SeaBinary | { missing: string };

/** Why this test cannot run, or null: the single executable, krew and its validator, kubectl. */
function missing(): string | null {
  if (!('binary' in built)) return built.missing;
  for (const tool of ['krew', 'krew-validate']) {
    const binary = goToolBinary(tool);
    if (typeof binary !== 'string') return binary.missing;
  }
  return KUBECTL ? null : 'kubectl is not installed (/usr/bin/kubectl): krew installs kubectl plugins, and the validator runs `kubectl krew`';
}

function run(command: string, args: readonly string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, encoding: 'utf8', env: { HOME: join(dir, 'home'), ...env }, maxBuffer: 64 << 20, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The manifest the release would write for this build's archive, as <dir>/<name>/kubeharden.yaml (krew wants the plugin's name as the file's). */
function manifestFor(archive: string, name: string): string {
  const file = join(dir, name, 'kubeharden.yaml');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, krewManifest([archive]));
  return file;
}

describe('the krew plugin manifest (plugins/kubeharden.yaml)', () => {
  before(async () => {
    mkdirSync(join(dir, 'home'));
    built = await seaBinary();
  });

  it('is what scripts/krew-manifest.mjs writes from the release archive (the sha256 is of the build it was written from)', (t) => {
    const why = missing();
    if (why !== null || !('archive' in built)) return t.skip(why ?? '');
    const generated = readFileSync(manifestFor(built.archive, 'generated'), 'utf8');
    const withoutSha = (text: string) => text.replace(/^( {4}sha256: )[a-f0-9]{64}$/m, '$1…');
    assert.equal(withoutSha(readFileSync(COMMITTED, 'utf8')), withoutSha(generated));
    assert.match(generated, new RegExp(`^ {4}sha256: ${built.sha256}$`, 'm'));
    assert.match(generated, new RegExp(`^ {4}uri: https://github\\.com/<owner>/kubeharden/releases/download/v${VERSION.replaceAll('.', '\\.')}/kubeharden-linux-x64\\.tar\\.gz$`, 'm'));
  });

  it("passes krew's validator, structure and platforms", (t) => {
    const why = missing();
    if (why !== null) return t.skip(why);
    const check = run(goToolBinary('krew-validate') as string, ['-manifest', COMMITTED, '-skip-install'], {});
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stderr, /structural validation OK/);
    assert.match(check.stderr, /no overlapping spec\.platform\[\]\.selector/);
  });

  // The validator installs each platform with `kubectl krew install --manifest`, which would download the uri; the
  // `kubectl-krew` it finds on PATH here is the real krew given this build's archive instead (sha256 still checked).
  it("passes krew's validator with the install of every platform (the licence included)", (t) => {
    const why = missing();
    if (why !== null || !('archive' in built)) return t.skip(why ?? '');
    const bin = join(dir, 'validator-path');
    mkdirSync(bin);
    writeFileSync(join(bin, 'kubectl-krew'), `#!/bin/sh\nexec '${goToolBinary('krew') as string}' "$@" '--archive=${built.archive}'\n`);
    chmodSync(join(bin, 'kubectl-krew'), 0o755);
    const manifest = manifestFor(built.archive, 'validated');
    const check = run(goToolBinary('krew-validate') as string, ['-manifest', manifest], { PATH: `${bin}:${dirname(KUBECTL as string)}`, TMPDIR: dir });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stderr, /all 1 spec\.platforms installed fine/);
  });

  it('installs with the real krew into an empty KREW_ROOT, and kubectl kubeharden runs it', (t) => {
    const why = missing();
    if (why !== null || !('archive' in built)) return t.skip(why ?? '');
    const krewRoot = join(dir, 'krew-root');
    const env = { KREW_ROOT: krewRoot, PATH: '/nonexistent' };
    const install = run(goToolBinary('krew') as string, ['install', `--manifest=${manifestFor(built.archive, 'installed')}`, `--archive=${built.archive}`], env);
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stderr, /Installed plugin: kubeharden/);
    assert.deepEqual(readdirSync(join(krewRoot, 'bin')), ['kubectl-kubeharden']);
    // krew's record of the install (`krew list` would need the plugin index, which is not there offline).
    const receipt = readFileSync(join(krewRoot, 'receipts', 'kubeharden.yaml'), 'utf8');
    assert.match(receipt, new RegExp(`^ {2}version: v${VERSION.replaceAll('.', '\\.')}$`, 'm'));

    // Only krew's bin on PATH: kubectl finds the plugin there, and no node is anywhere.
    const pluginEnv = { PATH: join(krewRoot, 'bin') };
    const version = run(KUBECTL as string, ['kubeharden', '--version'], pluginEnv);
    assert.deepEqual(version, { code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const scan = run(KUBECTL as string, ['kubeharden', 'scan', 'examples/', '--format', 'json'], pluginEnv);
    const direct = run(built.binary, ['scan', 'examples/', '--format', 'json'], pluginEnv);
    assert.equal(scan.code, 1, scan.stderr);
    assert.ok(scan.stdout === direct.stdout, 'kubectl kubeharden reports what the binary itself reports');
    const report = JSON.parse(scan.stdout) as { summary: { findings: number } };
    assert.equal(report.summary.findings, 83);
  });
});
