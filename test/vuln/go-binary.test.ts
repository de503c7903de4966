/**
 * Go build info against the Go toolchain itself: test/vuln/data/go-buildinfo (a main module requiring
 * golang.org/x/mod, replaced by another version, fetched through the Go module proxy and checked against the
 * committed go.sum) is built once per run of this file for Linux (ELF; plain and stripped with -s -w) and macOS
 * (Mach-O), and what we read from each binary must equal what `go version -m` prints for it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { packagesOf } from '../../src/vuln/packages/extractors.js';
import { goBinaryPackages } from '../../src/vuln/packages/go.js';
import { buildInfoSectionOffset, readGoBuildInfo, type GoBuildInfo } from '../../src/vuln/packages/go-binary.js';
import { needsGo } from '../support/go-module.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const MODULE_DIR = join(PROJECT_ROOT, 'test', 'vuln', 'data', 'go-buildinfo');

const TARGETS = [
  { name: 'linux-amd64', env: { GOOS: 'linux', GOARCH: 'amd64' }, flags: [] as string[] },
  { name: 'linux-amd64-stripped', env: { GOOS: 'linux', GOARCH: 'amd64' }, flags: ['-ldflags=-s -w'] },
  { name: 'darwin-arm64', env: { GOOS: 'darwin', GOARCH: 'arm64' }, flags: [] as string[] },
];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, {
    cwd: MODULE_DIR,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', GOWORK: 'off', CGO_ENABLED: '0', ...env },
    timeout: 15 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.error?.message ?? ''}${result.stderr}`);
  return result.stdout;
}

/** `go version -m`'s answer in our shape: the oracle. */
function oracle(binary: string): GoBuildInfo {
  const lines = run('go', ['version', '-m', binary]).split('\n');
  const goVersion = (lines[0] ?? '').replace(/^.*?: /, '');
  let path: string | null = null;
  let main: GoBuildInfo['main'] = null;
  const deps: { path: string; version: string; replaces?: { path: string; version: string } }[] = [];
  for (const line of lines.slice(1)) {
    const [, kind, modulePath = '', version = ''] = line.split('\t');
    if (kind === 'path') path = modulePath;
    else if (kind === 'mod') main = { path: modulePath, version };
    else if (kind === 'dep') deps.push({ path: modulePath, version });
    else if (kind === '=>') {
      const replaced = deps.pop();
      assert.ok(replaced);
      deps.push({ path: modulePath, version, replaces: replaced });
    }
  }
  return { goVersion, path, main, deps };
}

describe('Go build info, against go version -m', { skip: needsGo() }, () => {
  const binaries = new Map<string, string>();

  before(() => {
    const out = tempDir('go-buildinfo');
    for (const target of TARGETS) {
      const binary = join(out, target.name);
      run('nice', ['go', 'build', '-trimpath', ...target.flags, '-o', binary, '.'], target.env);
      binaries.set(target.name, binary);
    }
  });

  for (const target of TARGETS) {
    it(`${target.name}: the section is found and the build info equals go version -m's`, () => {
      const binary = binaries.get(target.name);
      assert.ok(binary);
      const file = readFileSync(binary);
      assert.notEqual(buildInfoSectionOffset(file), null, 'found through the section table, not the fallback search');
      const expected = oracle(binary);
      assert.deepEqual(readGoBuildInfo(file), expected);
      assert.equal(expected.deps.length, 1);
      assert.equal(expected.deps[0]?.replaces?.version, 'v0.37.0');
      const toolchain = expected.goVersion.replace(/^go/, '').split(' ')[0] ?? '';
      assert.deepEqual(
        goBinaryPackages(expected).map((pkg) => [pkg.ecosystem, pkg.name, pkg.version, pkg.purl]),
        [
          ['Go', 'stdlib', toolchain, `pkg:golang/stdlib@v${toolchain}`],
          ['Go', 'golang.org/x/mod', '0.36.0', 'pkg:golang/golang.org/x/mod@v0.36.0'],
        ],
      );
    });
  }

  it('the Go distribution\'s own binaries (bin/ and pkg/tool/): the same as go version -m, stdlib at the toolchain version', () => {
    const goroot = run('go', ['env', 'GOROOT']).trim();
    const hostTools = join(goroot, 'pkg', 'tool', `${run('go', ['env', 'GOOS']).trim()}_${run('go', ['env', 'GOARCH']).trim()}`);
    const binaries = [...readdirSync(join(goroot, 'bin')).map((name) => join(goroot, 'bin', name)), ...readdirSync(hostTools).map((name) => join(hostTools, name))];
    assert.ok(binaries.length >= 5, binaries.join(', '));
    for (const binary of binaries) {
      const info = readGoBuildInfo(readFileSync(binary));
      assert.deepEqual(info, oracle(binary), binary);
      assert.equal(info?.path?.startsWith('cmd/'), true, binary);
      // No modules: the standard library (and the tool built from it) is all there is.
      assert.ok(info);
      assert.deepEqual(goBinaryPackages(info).map((pkg) => `${pkg.name}@${pkg.version}`), [`stdlib@${info.goVersion.replace(/^go/, '').split(' ')[0]}`], binary);
    }
  });

  it('packagesOf finds the binary under a bin folder, or anywhere when the tar header marks it executable', async () => {
    const file = readFileSync(binaries.get('linux-amd64') ?? '');
    const inBin = await packagesOf(new Map([['/usr/local/bin/tool', file]]));
    assert.deepEqual(inBin.packages.map((pkg) => pkg.name), ['stdlib', 'golang.org/x/mod']);
    const elsewhere = new Map([['/app/server', file]]);
    assert.deepEqual((await packagesOf(elsewhere)).packages, []);
    const executable = await packagesOf(elsewhere, { infoOf: () => ({ mode: 0o755, size: file.length }) });
    assert.deepEqual(executable.packages.map((pkg) => [pkg.name, pkg.path]), [['stdlib', '/app/server'], ['golang.org/x/mod', '/app/server']]);
  });

  it('a binary cut short or a non-Go executable gives no packages and no crash', async () => {
    const file = readFileSync(binaries.get('linux-amd64') ?? '');
    const offset = buildInfoSectionOffset(file) ?? 0;
    const result = await packagesOf(new Map([['/bin/cut', file.subarray(0, offset + 40)], ['/bin/not-go', Buffer.concat([file.subarray(0, 64), Buffer.alloc(4096)])]]));
    assert.deepEqual(result.packages, []);
    assert.deepEqual(result.problems.map((problem) => problem.path), ['/bin/cut']);
  });
});

/**
 * Binaries of Go 1.17 (test/vuln/data/go-buildinfo-117, a `replace` too), the last release before the build info
 * became inline: the header then points into the data segment. Built with the real go1.17.13 toolchain the go
 * command fetches from the module proxy (GOTOOLCHAIN); GOENV=off, since a Go env file's newer flags would stop it.
 */
const OLD_MODULE_DIR = join(PROJECT_ROOT, 'test', 'vuln', 'data', 'go-buildinfo-117');
const OLD_TOOLCHAIN = 'go1.17.13';
const OLD_TARGETS = [
  { name: 'linux-amd64', env: { GOOS: 'linux', GOARCH: 'amd64' }, flags: [] as string[] },
  { name: 'linux-amd64-stripped', env: { GOOS: 'linux', GOARCH: 'amd64' }, flags: ['-ldflags=-s -w'] },
  { name: 'linux-386', env: { GOOS: 'linux', GOARCH: '386' }, flags: [] as string[] },
  { name: 'darwin-amd64', env: { GOOS: 'darwin', GOARCH: 'amd64' }, flags: [] as string[] },
];

describe(`Go build info before Go 1.18 (${OLD_TOOLCHAIN}), against go version -m`, { skip: needsGo() }, () => {
  const binaries = new Map<string, string>();
  let skip: string | undefined;

  before(() => {
    const out = tempDir('go-buildinfo-117');
    const env = { ...process.env, GOENV: 'off', GOTOOLCHAIN: OLD_TOOLCHAIN, GOFLAGS: '-mod=readonly', GOWORK: 'off', CGO_ENABLED: '0' };
    const version = spawnSync('go', ['version'], { cwd: OLD_MODULE_DIR, encoding: 'utf8', env, timeout: 10 * 60_000 });
    if (version.status !== 0 || !version.stdout.startsWith(`go version ${OLD_TOOLCHAIN} `)) {
      skip = `the ${OLD_TOOLCHAIN} toolchain could not be fetched from the Go module proxy: ${version.stderr.trim() || version.stdout.trim()}`;
      if (process.env['CI']) throw new Error(skip);
      return;
    }
    for (const target of OLD_TARGETS) {
      const binary = join(out, target.name);
      const built = spawnSync('nice', ['go', 'build', '-trimpath', ...target.flags, '-o', binary, '.'], { cwd: OLD_MODULE_DIR, encoding: 'utf8', env: { ...env, ...target.env }, timeout: 10 * 60_000 });
      assert.equal(built.status, 0, built.stderr);
      binaries.set(target.name, binary);
    }
  });

  for (const target of OLD_TARGETS) {
    it(`${target.name}: the pointers are followed and the build info equals go version -m's`, (t) => {
      if (skip) return t.skip(skip);
      const binary = binaries.get(target.name)!;
      const file = readFileSync(binary);
      assert.equal(file[(buildInfoSectionOffset(file) ?? magicAt(file)) + 15]! & 0x2, 0, 'the header of before Go 1.18: pointers, not inline strings');
      const expected = oracle(binary);
      assert.equal(expected.goVersion, OLD_TOOLCHAIN);
      assert.deepEqual(readGoBuildInfo(file), expected);
      assert.deepEqual(
        goBinaryPackages(expected).map((pkg) => `${pkg.name}@${pkg.version}`),
        ['stdlib@1.17.13', 'golang.org/x/mod@0.4.2'],
      );
    });
  }
});

/** The 16-byte-aligned build-info magic, for binaries whose section table does not name it (Mach-O before 1.18). */
function magicAt(file: Buffer): number {
  const magic = Buffer.from('\xff Go buildinf:', 'latin1');
  for (let at = file.indexOf(magic); at !== -1; at = file.indexOf(magic, at + 1)) if (at % 16 === 0) return at;
  throw new Error('no build-info magic');
}
