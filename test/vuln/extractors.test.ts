/**
 * packagesOf over the files an image holds: which files each extractor wants, the distribution and its OSV
 * ecosystem, source packages, purls, which of an app's npm data wins, Python and Java packages, the size caps, and
 * that corrupt input of any kind is a problem naming the file, never a crash (fast-check).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { InstalledPackage } from '../../src/vuln/model.js';
import { EXTRACTORS, osEcosystem, packagesOf, parseOsRelease, wantedBy } from '../../src/vuln/packages/extractors.js';
import { PackageFileError } from '../../src/vuln/packages/extractor.js';
import { parseApkInstalled } from '../../src/vuln/packages/apk.js';
import { parseDpkgStatus } from '../../src/vuln/packages/dpkg.js';
import { readGoBuildInfo } from '../../src/vuln/packages/go-binary.js';
import { parseGoMod } from '../../src/vuln/packages/go-mod.js';
import { parsePomXml } from '../../src/vuln/packages/maven.js';
import { parseNpmLock } from '../../src/vuln/packages/npm.js';
import { parsePurl } from '../../src/vuln/packages/purl.js';
import { parsePipfileLock, parsePoetryLock, parsePythonMetadata, parseRequirements } from '../../src/vuln/packages/python.js';
import { parseRpmHeader } from '../../src/vuln/packages/rpm-header.js';
import { bdbBlobs, ndbBlobs } from '../../src/vuln/packages/rpm-databases.js';
import { XmlSyntaxError } from '../../src/vuln/packages/xml.js';
import { readSbom, SbomError } from '../../src/vuln/sbom/sbom-in.js';
import { zipArchive } from '../support/zip-writer.js';

function summary(packages: readonly InstalledPackage[]): string[] {
  return packages.map((pkg) => `${pkg.ecosystem} ${pkg.name}@${pkg.version}${pkg.sourceName && pkg.sourceName !== pkg.name ? ` (${pkg.sourceName}@${pkg.sourceVersion})` : ''} ${pkg.path ?? ''}`);
}

describe('os-release and OSV ecosystems', () => {
  const cases: [string, string, string][] = [
    ['ID=debian\nVERSION_ID="12"', 'deb', 'Debian:12'],
    ['ID=debian\nPRETTY_NAME="Debian GNU/Linux trixie/sid"', 'deb', 'Debian'],
    ['ID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"', 'deb', 'Ubuntu:22.04'],
    ["ID='alpine'\nVERSION_ID=3.19.1", 'apk', 'Alpine:v3.19'],
    ['ID="rhel"\nVERSION_ID="9.2"', 'rpm', 'Red Hat'],
    ['ID="rocky"\nVERSION_ID="9.3"', 'rpm', 'Rocky Linux:9'],
    ['ID="almalinux"\nVERSION_ID="8.9"', 'rpm', 'AlmaLinux:8'],
    ['ID="sles"\nVERSION_ID="15.5"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"', 'rpm', 'SUSE:Linux Enterprise Server 15 SP5'],
    ['ID="opensuse-leap"\nVERSION_ID="15.5"', 'rpm', 'openSUSE:Leap 15.5'],
    ['ID=mariner\nVERSION_ID=2.0', 'rpm', 'Mariner'],
    ['ID=azurelinux\nVERSION_ID=3.0', 'rpm', 'Azure Linux:3.0'],
    ['ID=wolfi\nVERSION_ID=20230201', 'apk', 'Wolfi'],
    // No OSV ecosystem: named for what it is, so no Red Hat advisory is matched against Fedora by mistake.
    ['ID=fedora\nVERSION_ID=39\nPRETTY_NAME="Fedora Linux 39 (Container Image)"', 'rpm', 'Fedora Linux 39 (Container Image)'],
  ];
  for (const [text, family, ecosystem] of cases) {
    it(`${text.split('\n')[0]} → ${ecosystem}`, () => {
      assert.equal(osEcosystem(parseOsRelease(`# comment\n${text}\n`), family as 'deb' | 'apk' | 'rpm'), ecosystem);
    });
  }

  it('quoting as os-release(5) writes it', () => {
    assert.deepEqual(parseOsRelease('ID=debian\nPRETTY_NAME="A \\"quoted\\" \\$name"\nVERSION_ID=\n'), { id: 'debian', versionId: null, prettyName: 'A "quoted" $name' });
  });
});

describe('packagesOf', () => {
  it('distroless: status.d files (md5sums ignored), source packages, purls and layers', async () => {
    const files = new Map([
      ['etc/os-release', Buffer.from('ID=debian\nVERSION_ID="12"\n')],
      ['var/lib/dpkg/status.d/libc6', Buffer.from('Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nSource: glibc\n')],
      ['var/lib/dpkg/status.d/libc6.md5sums', Buffer.from('d41d8cd98f00b204e9800998ecf8427e  lib/x86_64-linux-gnu/libc.so.6\n')],
      ['var/lib/dpkg/status.d/tzdata', Buffer.from('Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n')],
      ['var/lib/dpkg/status.d/bsdutils', Buffer.from('Package: bsdutils\nVersion: 1:2.38.1-5+b1\nArchitecture: amd64\nSource: util-linux (2.38.1-5)\n')],
    ]);
    const result = await packagesOf(files, { layerOf: () => 'sha256:aaa' });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.os, { id: 'debian', versionId: '12' });
    assert.deepEqual(
      result.packages.map((pkg) => [pkg.name, pkg.version, pkg.sourceName, pkg.sourceVersion, pkg.purl, pkg.layer]),
      [
        ['bsdutils', '1:2.38.1-5+b1', 'util-linux', '2.38.1-5', 'pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&upstream=util-linux%402.38.1-5&distro=debian-12', 'sha256:aaa'],
        ['libc6', '2.36-9+deb12u4', 'glibc', '2.36-9+deb12u4', 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc&distro=debian-12', 'sha256:aaa'],
        ['tzdata', '2024a-0+deb12u1', 'tzdata', '2024a-0+deb12u1', 'pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12', 'sha256:aaa'],
      ],
    );
  });

  it('Alpine from /etc/alpine-release alone, origin as the source package', async () => {
    const installed = 'P:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\nc:abc\n\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n';
    const result = await packagesOf(new Map([['/etc/alpine-release', Buffer.from('3.19.1\n')], ['/lib/apk/db/installed', Buffer.from(installed)]]));
    assert.deepEqual(summary(result.packages), ['Alpine:v3.19 libcrypto3@3.1.4-r5 (openssl@3.1.4-r5) /lib/apk/db/installed', 'Alpine:v3.19 musl@1.2.4-r2 /lib/apk/db/installed']);
    assert.equal(result.packages[0]?.purl, 'pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&upstream=openssl&distro=alpine-3.19.1');
  });

  it('npm: what node_modules holds wins over the lockfile beside it', async () => {
    const lock = (name: string, version: string): Buffer => Buffer.from(JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app' }, [`node_modules/${name}`]: { version } } }));
    const manifest = (name: string, version: string): Buffer => Buffer.from(JSON.stringify({ name, version }));
    const files = new Map([
      // An app installed with its hidden lockfile: the app's package-lock.json (dev dependencies too) is not read.
      ['/srv/a/package-lock.json', lock('jest', '29.0.0')],
      ['/srv/a/node_modules/.package-lock.json', lock('express', '4.18.2')],
      ['/srv/a/node_modules/express/package.json', manifest('express', '4.18.2')],
      // Installed without a hidden lockfile: each package's own package.json.
      ['/srv/b/node_modules/@scope/util/package.json', manifest('@scope/util', '1.0.0')],
      ['/srv/b/node_modules/lodash/package.json', manifest('lodash', '4.17.20')],
      // Only a lockfile: it is all there is.
      ['/srv/c/package-lock.json', lock('minimist', '1.2.5')],
    ]);
    const result = await packagesOf(files);
    assert.deepEqual(summary(result.packages), [
      'npm express@4.18.2 /srv/a/node_modules/.package-lock.json',
      'npm @scope/util@1.0.0 /srv/b/node_modules/@scope/util/package.json',
      'npm lodash@4.17.20 /srv/b/node_modules/lodash/package.json',
      'npm minimist@1.2.5 /srv/c/package-lock.json',
    ]);
    assert.equal(result.packages[1]?.purl, 'pkg:npm/%40scope/util@1.0.0');
  });

  it('Python: dist-info, egg-info, Pipfile.lock and only the pinned lines of requirements files', async () => {
    const files = new Map([
      ['/usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA', Buffer.from('Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\n\nName: not-a-header\n')],
      ['/usr/lib/python3/site-packages/zope.interface-5.4.0.egg-info/PKG-INFO', Buffer.from('Metadata-Version: 1.1\nName: zope.interface\nVersion: 5.4.0\n')],
      ['/app/requirements.txt', Buffer.from('django==4.2.1\nrequests>=2.0\nflask\n-r requirements-extra.txt\n')],
      ['/app/requirements-extra.txt', Buffer.from('urllib3==1.26.5 --hash=sha256:abc\n')],
    ]);
    const result = await packagesOf(files);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.packages.map((pkg) => `${pkg.name}@${pkg.version} ${pkg.purl}`),
      // requirements-extra.txt is read on its own and through requirements.txt's -r: once per file that names it.
      ['urllib3@1.26.5 pkg:pypi/urllib3@1.26.5', 'django@4.2.1 pkg:pypi/django@4.2.1', 'urllib3@1.26.5 pkg:pypi/urllib3@1.26.5', 'jinja2@3.1.2 pkg:pypi/jinja2@3.1.2', 'zope-interface@5.4.0 pkg:pypi/zope-interface@5.4.0'],
    );
  });

  it('Java archives: pom.properties, nested jars one level deep, deflated or stored; a corrupt jar is a problem', async () => {
    const properties = (group: string, artifact: string, version: string): string => `#Generated by Maven\ngroupId=${group}\nartifactId=${artifact}\nversion=${version}\n`;
    const inner = zipArchive([{ name: 'META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties', data: properties('com.fasterxml.jackson.core', 'jackson-databind', '2.9.10') }]);
    const innermost = zipArchive([{ name: 'META-INF/maven/deep/deep/pom.properties', data: properties('deep', 'deep', '1') }], { stored: true });
    const innerWithNested = zipArchive([{ name: 'lib/deeper.jar', data: innermost }], { stored: true });
    const war = zipArchive(
      [
        { name: 'META-INF/maven/com.example/shop/pom.properties', data: properties('com.example', 'shop', '1.0.0') },
        { name: 'WEB-INF/lib/jackson-databind-2.9.10.jar', data: inner },
        { name: 'WEB-INF/lib/wrapper.jar', data: innerWithNested },
      ],
      { stored: true },
    );
    const result = await packagesOf(new Map([['/opt/app/shop.war', war], ['/opt/app/broken.jar', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)])]]));
    assert.deepEqual(
      result.packages.map((pkg) => `${pkg.name}@${pkg.version} ${pkg.purl}`),
      ['com.example:shop@1.0.0 pkg:maven/com.example/shop@1.0.0', 'com.fasterxml.jackson.core:jackson-databind@2.9.10 pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10'],
    );
    assert.deepEqual(result.problems.map((problem) => [problem.path, problem.extractor]), [['/opt/app/broken.jar', 'java-archive']]);
    assert.match(result.problems[0]?.message ?? '', /not a zip archive|corrupt zip/);
  });

  it('go.mod and pom.xml: declared versions only', async () => {
    const goMod = 'module example.com/app\n\ngo 1.22.1\n\nrequire (\n\tgolang.org/x/net v0.17.0\n\texample.com/local v0.0.0\n)\n\nreplace example.com/local => ../local\n';
    const pom = '<project><dependencies><dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId><version>1.33</version></dependency><dependency><groupId>a</groupId><artifactId>b</artifactId><version>${missing}</version></dependency></dependencies></project>';
    const result = await packagesOf(new Map([['/src/go.mod', Buffer.from(goMod)], ['/src/pom.xml', Buffer.from(pom)]]));
    assert.deepEqual(summary(result.packages), ['Go golang.org/x/net@0.17.0 /src/go.mod', 'Go stdlib@1.22.1 /src/go.mod', 'Maven org.yaml:snakeyaml@1.33 /src/pom.xml']);
  });
});

describe('which files are kept', () => {
  const cases: [string, string[] | null][] = [
    ['var/lib/dpkg/status', ['dpkg']],
    ['./var/lib/dpkg/status.d/base', ['dpkg']],
    ['/var/lib/dpkg/status.d/base.md5sums', null],
    ['/var/lib/dpkg/status-old', null],
    ['/lib/apk/db/installed', ['apk']],
    ['/var/lib/rpm/rpmdb.sqlite-wal', ['rpm']],
    ['/usr/lib/sysimage/rpm/Packages.db', ['rpm']],
    ['/app/node_modules/left-pad/package.json', ['npm']],
    ['/app/node_modules/left-pad/node_modules/x/package.json', ['npm']],
    ['/app/node_modules/left-pad/package-lock.json', null],
    ['/app/package.json', null],
    ['/usr/local/bin/kubectl', ['go-binary']],
    ['/usr/local/bin/entrypoint.sh', null],
    ['/opt/app.jar', ['java-archive']],
    ['/root/.m2/repository/x/pom.xml', null],
    ['/usr/lib/python3.11/site-packages/pip-23.0.dist-info/METADATA', ['python']],
    ['/etc/os-release', []],
    ['/etc/passwd', null],
  ];
  for (const [path, extractors] of cases) {
    it(`${path} → ${extractors === null ? 'skipped' : extractors.join(', ') || 'os-release'}`, () => {
      const want = wantedBy(path);
      assert.deepEqual(want === null ? null : want.extractors.map((extractor) => extractor.id), extractors);
    });
  }

  it('an executable outside bin folders is wanted when its mode says so, then checked for ELF or Mach-O magic', () => {
    assert.equal(wantedBy('/app/server'), null);
    const want = wantedBy('/app/server', { mode: 0o755, size: 10_000_000 });
    assert.deepEqual(want?.extractors.map((extractor) => extractor.id), ['go-binary']);
    assert.ok(want?.magic?.some((magic) => magic.equals(Buffer.from('\u007fELF', 'latin1'))));
  });

  it('binaries, archives, go.mod and pom.xml can be extracted one by one as read; OS databases and npm trees cannot', () => {
    const independent = (path: string): boolean | undefined => wantedBy(path)?.independent;
    assert.deepEqual(
      ['/usr/bin/tool', '/app/app.jar', '/src/go.mod', '/src/pom.xml', '/var/lib/dpkg/status', '/var/lib/rpm/rpmdb.sqlite', '/app/package-lock.json', '/app/requirements.txt', '/etc/os-release'].map(independent),
      [true, true, true, true, false, false, false, false, false],
    );
  });

  it('every extractor declares a cap, and a file above it is refused with a problem naming the file', async () => {
    for (const extractor of EXTRACTORS) assert.ok(extractor.maxBytes > 0 && extractor.maxBytes <= 512 * 1024 * 1024, extractor.id);
    const apk = EXTRACTORS.find((extractor) => extractor.id === 'apk');
    assert.ok(apk);
    const small = { ...apk, maxBytes: 10 };
    const result = await packagesOf(new Map([['/lib/apk/db/installed', Buffer.from('P:musl\nV:1.2.4-r2\n')]]), { extractors: [small] });
    assert.deepEqual(result.packages, []);
    assert.deepEqual(result.problems, [{ path: '/lib/apk/db/installed', extractor: 'apk', message: '/lib/apk/db/installed is 18 bytes, more than the 10 bytes the apk reader reads; it was skipped' }]);
  });
});

describe('corrupt input never crashes a parser (fast-check)', () => {
  const expectedErrors = [PackageFileError, XmlSyntaxError, SbomError];
  const parsers: [string, (bytes: Buffer) => unknown][] = [
    ['dpkg', (bytes) => parseDpkgStatus(bytes.toString('utf8'))],
    ['apk', (bytes) => parseApkInstalled(bytes.toString('utf8'))],
    ['rpm header', (bytes) => parseRpmHeader(bytes)],
    ['rpm NDB', (bytes) => ndbBlobs(bytes)],
    ['rpm Berkeley DB', (bytes) => bdbBlobs(bytes)],
    ['npm lockfile', (bytes) => parseNpmLock(bytes.toString('utf8'))],
    ['go.mod', (bytes) => parseGoMod(bytes.toString('utf8'))],
    ['Go build info', (bytes) => readGoBuildInfo(bytes)],
    ['pom.xml', (bytes) => parsePomXml(bytes.toString('utf8'))],
    ['Python metadata', (bytes) => parsePythonMetadata(bytes.toString('utf8'))],
    ['requirements', (bytes) => parseRequirements('/r.txt', () => bytes.toString('utf8'))],
    ['Pipfile.lock', (bytes) => parsePipfileLock(bytes.toString('utf8'))],
    ['poetry.lock', (bytes) => parsePoetryLock(bytes.toString('utf8'))],
    ['purl', (bytes) => parsePurl(`pkg:${bytes.toString('latin1')}`)],
    ['SBOM', (bytes) => readSbom(bytes.toString('utf8'))],
  ];
  // Random bytes, and random bytes behind the magic each binary format starts with, so parsing gets past the check.
  const prefixes = [Buffer.alloc(0), Buffer.from('\u007fELF\u0002\u0001', 'latin1'), Buffer.from([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x10]), Buffer.from('RpmP\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001\u0000\u0000\u0000', 'latin1'), Buffer.from('\u00ff Go buildinf:\u0008\u0002', 'latin1'), Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0]), Buffer.from('<project><dependencies>'), Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.6","components":['), Buffer.from('[[package]]\nname = "x"\nversion = ')];
  for (const [name, parse] of parsers) {
    it(name, () => {
      fc.assert(
        fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 2048 }), (prefix, body) => {
          try {
            parse(Buffer.concat([prefix, Buffer.from(body)]));
          } catch (error) {
            assert.ok(expectedErrors.some((kind) => error instanceof kind), `${name} threw ${String(error)}`);
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('the rpm Berkeley DB reader survives real metadata followed by random pages', () => {
    const meta = Buffer.alloc(4096);
    meta.writeUInt32LE(0x061561, 12);
    meta.writeUInt32LE(4096, 20);
    meta.writeUInt32LE(3, 32);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3 * 4096, maxLength: 3 * 4096 }), fc.constantFrom(2, 13, 7), (pages, type) => {
        const file = Buffer.concat([meta, Buffer.from(pages)]);
        file[4096 + 25] = type;
        try {
          bdbBlobs(file);
        } catch (error) {
          assert.ok(error instanceof PackageFileError, String(error));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('packagesOf turns any content at any extractor path into packages or problems', async () => {
    const paths = ['/var/lib/dpkg/status', '/lib/apk/db/installed', '/var/lib/rpm/Packages', '/var/lib/rpm/Packages.db', '/var/lib/rpm/rpmdb.sqlite', '/app/package-lock.json', '/bin/tool', '/app/x.jar', '/app/pom.xml', '/app/go.mod', '/app/requirements.txt'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 1024 }), async (path, prefix, body) => {
        const result = await packagesOf(new Map([[path, Buffer.concat([prefix, Buffer.from(body)])]]));
        for (const problem of result.problems) assert.equal(problem.path, path);
      }),
      { numRuns: 200 },
    );
  });
});
