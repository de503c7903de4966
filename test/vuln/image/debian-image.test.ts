/**
 * A real image, scanned by reference through the real registry: a Debian 12 root filesystem assembled from real
 * packages of deb.debian.org (extracted with dpkg-deb, with the dpkg status database dpkg itself would write from
 * their control fields), an npm layer (package-lock.json and node_modules), a Go binary layer built here with
 * `go build`, and a last layer that removes a package (as `apt-get remove` does: a new status database and a
 * whiteout for its files). Every package must come out with the layer that introduced it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { imagePackageExtractor } from '../../../src/vuln/image/package-extractor.js';
import { compress, image, push, sha256, type Image, type Layer } from '../../support/oci-images.js';
import { PROJECT_ROOT } from '../../support/paths.js';
import { startRegistry, type Registry } from '../../support/registry-harness.js';
import { tempDir } from '../../support/temp-dir.js';
import { read } from './support.js';

/** Small real packages; base-files brings /etc/os-release. liblzma5 is the one the last layer removes. */
const DEBS = ['base-files', 'zlib1g', 'libexpat1', 'libbz2-1.0', 'liblzma5'];
const DEB_CACHE = join(PROJECT_ROOT, '.cache', 'vuln-debs');
const GO_MODULE = join(PROJECT_ROOT, 'test', 'vuln', 'data', 'go-buildinfo');

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Buffer {
  const result = spawnSync(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 1 << 28, timeout: 10 * 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.error?.message ?? ''}${result.stderr?.toString() ?? ''}`);
  return result.stdout;
}

/** The .deb files, downloaded once with `apt-get download` into .cache (reruns are offline); a reason when they cannot be. */
function debianPackages(): string[] | { missing: string } {
  mkdirSync(DEB_CACHE, { recursive: true });
  const have = () => DEBS.map((name) => readdirSync(DEB_CACHE).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb')));
  if (have().some((file) => file === undefined)) {
    const result = spawnSync('apt-get', ['download', ...DEBS], { cwd: DEB_CACHE, timeout: 5 * 60_000 });
    if (result.status !== 0) return { missing: `cannot download Debian packages with apt-get download (${result.stderr?.toString().trim().split('\n').pop() ?? result.error?.message}): needs apt-get with Debian sources and deb.debian.org, or the .debs in ${DEB_CACHE}` };
  }
  return have().map((file) => join(DEB_CACHE, file!));
}

interface DebInfo {
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly control: string;
}

function debInfo(deb: string): DebInfo {
  const field = (name: string) => run('dpkg-deb', ['-f', deb, name]).toString().trim();
  const source = field('Source');
  return {
    name: field('Package'),
    version: field('Version'),
    // `Source: name (version)` when the source version differs; the name alone otherwise; absent: the package's own.
    source: source.split(' ')[0] || field('Package'),
    control: run('dpkg-deb', ['-f', deb]).toString().trimEnd(),
  };
}

/** The status paragraph dpkg writes for an installed package: the control fields with `Status:` after `Package:`. */
function statusEntry(info: DebInfo): string {
  return info.control.replace(/^(Package: .*)$/m, '$1\nStatus: install ok installed');
}

function tarLayer(folder: string): Layer {
  const tar = run('tar', ['-C', folder, '--numeric-owner', '--owner=0', '--group=0', '--sort=name', '--mtime=@0', '-cf', '-', '.']);
  const compressed = compress(tar, 'gzip');
  return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(compressed), size: compressed.length, bytes: compressed, diffId: sha256(tar) };
}

function goMissing(): string | null {
  return spawnSync('go', ['version']).status === 0 ? null : '`go` is not on PATH: install Go to build the Go binary layer';
}

describe('a real Debian image with npm and Go layers, through the real registry', () => {
  let registry: Registry | undefined;
  let skip: string | undefined;
  let debs: DebInfo[] = [];
  let built: Image;
  let goVersion = '';

  before(async () => {
    const packages = debianPackages();
    const missingGo = goMissing();
    if ('missing' in packages || missingGo) {
      skip = 'missing' in packages ? packages.missing : missingGo!;
      return;
    }
    const started = await startRegistry('anonymous');
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    registry = started;
    const work = tempDir('debian-image');
    debs = packages.map(debInfo);

    const rootfs = join(work, 'rootfs');
    mkdirSync(join(rootfs, 'var', 'lib', 'dpkg'), { recursive: true });
    for (const deb of packages) run('dpkg-deb', ['-x', deb, rootfs]);
    writeFileSync(join(rootfs, 'var', 'lib', 'dpkg', 'status'), `${debs.map(statusEntry).join('\n\n')}\n`);

    const npm = join(work, 'npm');
    const lock = {
      name: 'web',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'web', version: '1.0.0', dependencies: { lodash: '4.17.20', minimist: '1.2.5' } },
        'node_modules/lodash': { version: '4.17.20', resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz', license: 'MIT' },
        'node_modules/minimist': { version: '1.2.5', resolved: 'https://registry.npmjs.org/minimist/-/minimist-1.2.5.tgz', license: 'MIT' },
      },
    };
    mkdirSync(join(npm, 'app', 'node_modules', 'lodash'), { recursive: true });
    mkdirSync(join(npm, 'app', 'node_modules', 'minimist'), { recursive: true });
    writeFileSync(join(npm, 'app', 'package-lock.json'), JSON.stringify(lock, null, 2));
    writeFileSync(join(npm, 'app', 'node_modules', 'lodash', 'package.json'), JSON.stringify({ name: 'lodash', version: '4.17.20' }));
    writeFileSync(join(npm, 'app', 'node_modules', 'minimist', 'package.json'), JSON.stringify({ name: 'minimist', version: '1.2.5' }));

    const go = join(work, 'go');
    mkdirSync(join(go, 'usr', 'local', 'bin'), { recursive: true });
    run('nice', ['go', 'build', '-trimpath', '-o', join(go, 'usr', 'local', 'bin', 'semver-check'), '.'], {
      cwd: GO_MODULE,
      env: { GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', GOWORK: 'off', CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64' },
    });
    goVersion = run('go', ['env', 'GOVERSION']).toString().trim().replace(/^go/, '');

    // apt-get remove liblzma5: the status database without it, and its files whited out.
    const removal = join(work, 'remove');
    mkdirSync(join(removal, 'var', 'lib', 'dpkg'), { recursive: true });
    writeFileSync(join(removal, 'var', 'lib', 'dpkg', 'status'), `${debs.filter((deb) => deb.name !== 'liblzma5').map(statusEntry).join('\n\n')}\n`);
    const lzmaFiles = run('dpkg-deb', ['-c', packages[DEBS.indexOf('liblzma5')]!]).toString().split('\n').map((line) => line.split(/\s+/).pop() ?? '').filter((path) => /\.so\.\d+\.\d+\.\d+$/.test(path));
    assert.ok(lzmaFiles.length > 0, 'liblzma5 ships a shared library to white out');
    for (const file of lzmaFiles) {
      const path = join(removal, file);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(join(path, '..', `.wh.${path.split('/').pop()}`), '');
    }

    built = image([tarLayer(rootfs), tarLayer(npm), tarLayer(go), tarLayer(removal)]);
    await push(registry, 'library/debian-app', '12', [built]);
    assert.ok(existsSync(join(rootfs, 'etc', 'os-release')) || existsSync(join(rootfs, 'usr', 'lib', 'os-release')));
  });
  after(() => registry?.stop());

  it('finds every package with the layer that introduced it', async (t) => {
    if (!registry) return t.skip(skip);
    const result = await read(`${registry.host}/library/debian-app:12`, { extractor: imagePackageExtractor() });
    const { inventory } = result;
    assert.deepEqual(result.warnings, []);
    assert.equal(inventory.os?.id, 'debian');
    assert.equal(inventory.os?.versionId, '12');
    const [base, npm, go] = built.layers.map((l) => l.digest) as [string, string, string, string];
    const seen = [...new Set(inventory.packages.map((pkg) => JSON.stringify([pkg.ecosystem, pkg.name, pkg.version, pkg.sourceName ?? null, pkg.layer])))].map((text) => JSON.parse(text) as unknown[]);
    const expected = [
      ...debs.filter((deb) => deb.name !== 'liblzma5').map((deb) => ['Debian:12', deb.name, deb.version, deb.source, base]),
      ['npm', 'lodash', '4.17.20', null, npm],
      ['npm', 'minimist', '1.2.5', null, npm],
      ['Go', 'stdlib', goVersion, null, go],
      ['Go', 'golang.org/x/mod', '0.36.0', null, go],
    ];
    const order = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
    assert.deepEqual(order(seen), order(expected));
    assert.equal(debs.length, DEBS.length);
  });
});
