/**
 * The npm package as users get it: `npm pack` holds only what runs (built code, docs, schemas), and the tarball
 * installs globally into an empty prefix from a loopback registry that serves the lockfile (no network), giving
 * working `kubeharden` and `kubectl-kubeharden` commands; `npx --package ./kubeharden-X.tgz kubeharden` works too,
 * and so does `kubectl kubeharden` once the prefix's bin is on PATH.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../support/paths.js';
import { startLocalRegistry, type LocalRegistry } from '../support/npm-registry.js';
import { seaBinary } from '../support/sea-binary.js';
import { tempDir } from '../support/temp-dir.js';

const VERSION = (JSON.parse(spawnSync('npm', ['pkg', 'get', 'version'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout) as string);
const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((path) => existsSync(path));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Asynchronously, so the registry in this process keeps answering. */
function run(command: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd ?? PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = tempDir('npm-package');
const tarball = join(dir, `kubeharden-${VERSION}.tgz`);
let registry: LocalRegistry | { missing: string };
/** npm settings for every install: the loopback registry, a cache of the test's own, no audit or funding calls. */
let npmEnv: Record<string, string> = {};

describe('the npm package', () => {
  before(async () => {
    // --ignore-scripts: the tests run from dist/, which `prepare` would rebuild under their feet.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    registry = await startLocalRegistry();
    if ('url' in registry) {
      const cache = join(dir, 'npm-cache');
      mkdirSync(cache);
      npmEnv = { npm_config_registry: registry.url, npm_config_cache: cache, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...registry.env };
    }
  });
  after(async () => {
    if ('url' in registry) await registry.close();
  });

  // The OSV schema is read at run time (every advisory is validated); the docs' screenshots are the docs'.
  it('holds only the built code, the docs, the schemas, the README, the licence and package.json', () => {
    const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const files = list.stdout.trim().split('\n').map((path) => path.replace(/^package\//, ''));
    const outside = files.filter((path) => !/^(dist\/src\/.+\.js|dist\/src\/vuln\/osv\/schema\.json|docs\/.+\.(md|json|yml|png)|README\.md|LICENSE|package\.json)$/.test(path));
    assert.deepEqual(outside, []);
    for (const needed of ['dist/src/cli/main.js', 'docs/schemas/kubeharden-report.schema.json', 'docs/schemas/kubeharden-baseline.schema.json', 'docs/schemas/kubeharden-config.schema.json', 'docs/install.md']) {
      assert.ok(files.includes(needed), needed);
    }
    assert.ok(!files.some((path) => path.startsWith('dist/test/') || path.endsWith('.ts') || path.endsWith('.map') || path.startsWith('examples/')));
  });

  it('installs globally into an empty prefix without the network, with both commands', async (t) => {
    if (!('url' in registry)) return t.skip(registry.missing);
    const prefix = join(dir, 'prefix');
    // From a folder of no project: npm would otherwise take the checkout's package.json allowScripts for the user's.
    const install = await run('npm', ['install', '--global', '--allow-scripts=better-sqlite3', '--prefix', prefix, tarball], { cwd: dir, env: npmEnv });
    assert.equal(install.code, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /better-sqlite3@\S+ \(install:/, 'the native dependency was built');
    const scan = await run(join(prefix, 'bin', 'kubeharden'), ['scan', 'examples/']);
    assert.equal(scan.code, 1, scan.stderr);
    assert.match(scan.stdout, /HIGH {5}POD-NO-PRIVILEGED {2}examples\/insecure\/shop\.yaml:30:11/);
    assert.match(scan.stdout, /Result: FAIL/);
    const version = await run(join(prefix, 'bin', 'kubectl-kubeharden'), ['--version']);
    assert.deepEqual([version.code, version.stdout], [0, `${VERSION}\n`]);
    // The native dependency was installed for this Node, not only unpacked.
    const sqlite = await run(process.execPath, ['-e', "const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('select 6 * 7 as n').get().n)"], { cwd: join(prefix, 'lib', 'node_modules', 'kubeharden') });
    assert.deepEqual([sqlite.code, sqlite.stdout], [0, '42\n'], sqlite.stderr);

    if (!KUBECTL) return t.skip('kubectl is not installed (/usr/bin/kubectl): `kubectl kubeharden` could not be run');
    const plugin = await run(KUBECTL, ['kubeharden', 'scan', 'examples/hardened/'], { env: { PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}` } });
    assert.equal(plugin.code, 0, plugin.stderr);
    assert.match(plugin.stdout, /Result: PASS/);
  });

  // The single executable is the same code bundled: on every example, its JSON report is this package's, byte for byte.
  it('finds exactly what the single executable finds', async (t) => {
    if (!('url' in registry)) return t.skip(registry.missing);
    const installed = join(dir, 'prefix', 'bin', 'kubeharden');
    if (!existsSync(installed)) return t.skip('the global install above failed, so there is nothing installed to compare');
    const built = await seaBinary();
    if (!('binary' in built)) return t.skip(built.missing);
    for (const path of ['examples/', 'examples/insecure/shop.yaml', 'examples/hardened/']) {
      const fromPackage = await run(installed, ['scan', path, '--format', 'json', '--framework', 'all']);
      const fromBinary = await run(built.binary, ['scan', path, '--format', 'json', '--framework', 'all']);
      assert.equal(fromPackage.stderr, '');
      assert.ok(fromPackage.stdout.includes('"findings"'), path);
      assert.ok(fromBinary.stdout === fromPackage.stdout && fromBinary.code === fromPackage.code, `${path}: the single executable's report differs from the installed package's`);
    }
  });

  it('runs with npx --package ./kubeharden-X.tgz', async (t) => {
    if (!('url' in registry)) return t.skip(registry.missing);
    const npx = await run('npx', ['--yes', '--package', tarball, 'kubeharden', 'scan', join(PROJECT_ROOT, 'examples', 'insecure', 'debug-pod.yaml'), '--format', 'json'], { cwd: dir, env: npmEnv });
    assert.equal(npx.code, 1, npx.stderr);
    const report = JSON.parse(npx.stdout) as { verdict: { status: string }; summary: { resources: number } };
    assert.deepEqual([report.verdict.status, report.summary.resources], ['fail', 1]);
  });
});
