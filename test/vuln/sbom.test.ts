/**
 * SBOMs in and out. In: osv-scanner's real syft SBOMs (../shared/vuln/osv-scanner/offline-db-matching: a Debian 9
 * image, 136 components, and an Alpine 3.17 one), the CycloneDX specification's own 1.4/1.5/1.6 example documents,
 * and the Debian SBOM rewritten as CycloneDX JSON and SPDX 2.3 JSON, which must give the same packages. Out: an
 * inventory as CycloneDX 1.6, validated against the official JSON schema, read back to the same packages.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ImageInventory, InstalledPackage } from '../../src/vuln/model.js';
import { packagesOf } from '../../src/vuln/packages/extractors.js';
import { inventoryToCycloneDx } from '../../src/vuln/sbom/cyclonedx-out.js';
import { readSbom, SbomError } from '../../src/vuln/sbom/sbom-in.js';
import { cycloneDxValidator } from '../support/cyclonedx-schema.js';
import { needsShared, PROJECT_ROOT, SHARED_PRESENT, sharedPath } from '../support/paths.js';
import { zipArchive } from '../support/zip-writer.js';

const MATCHING = sharedPath('vuln', 'osv-scanner', 'offline-db-matching');
const LOCKFILES = sharedPath('vuln', 'osv-scanner', 'lockfile-parsing', 'fixtures');
const DATA = join(PROJECT_ROOT, 'test', 'vuln', 'data');

function counts(packages: readonly InstalledPackage[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const pkg of packages) found[pkg.ecosystem] = (found[pkg.ecosystem] ?? 0) + 1;
  return found;
}

describe('SBOMs in: osv-scanner fixtures', { skip: needsShared }, () => {
  const debian = SHARED_PRESENT ? readFileSync(join(MATCHING, 'testdata', 'sbom-insecure', 'postgres-stretch.cdx.xml'), 'utf8') : '';

  it('the Debian 9 CycloneDX XML SBOM: 136 components, 135 packages, the generic one listed as skipped', () => {
    const read = readSbom(debian);
    assert.equal(read.format, 'cyclonedx-xml');
    assert.equal(read.specVersion, '1.4');
    assert.equal(read.components, 136);
    assert.equal(read.packages.length, 135);
    assert.deepEqual(read.skipped, ['pkg:generic/postgresql@11.15']);
    assert.deepEqual(counts(read.packages), { 'Debian:9': 132, Go: 3 });
  });

  it('has every package a record of the offline database must match (source names for Debian)', () => {
    const expected = JSON.parse(readFileSync(join(MATCHING, 'expected.json'), 'utf8')) as { record_matches: { ecosystem: string; package: string; version: string; fixture: string }[] };
    const sboms = expected.record_matches.filter((match) => match.fixture.endsWith('.cdx.xml'));
    assert.equal(sboms.length, 7);
    for (const match of sboms) {
      const read = readSbom(readFileSync(join(MATCHING, match.fixture), 'utf8'));
      const found = read.packages.some(
        (pkg) =>
          pkg.ecosystem.split(':')[0] === match.ecosystem &&
          (pkg.sourceName ?? pkg.name) === match.package &&
          (pkg.sourceVersion ?? pkg.version) === match.version.replace(/^v(?=\d)/, ''),
      );
      assert.ok(found, `${match.fixture} must hold ${match.ecosystem} ${match.package} ${match.version}`);
    }
  });

  it('the Alpine SBOM: 14 packages of Alpine:v3.17 with their origin', () => {
    const read = readSbom(readFileSync(join(MATCHING, 'testdata', 'locks-many-with-insecure', 'alpine.cdx.xml'), 'utf8'));
    assert.deepEqual([read.components, read.packages.length, read.skipped.length], [14, 14, 0]);
    assert.deepEqual(counts(read.packages), { 'Alpine:v3.17': 14 });
    const ssl = read.packages.find((pkg) => pkg.name === 'libssl3');
    assert.deepEqual([ssl?.sourceName, ssl?.version], ['openssl', '3.0.8-r0']);
  });

  it('the same SBOM as CycloneDX 1.5 JSON and as SPDX 2.3 JSON gives the same packages', () => {
    const fromXml = readSbom(debian);
    const purls = [...debian.matchAll(/<purl>([^<]*)<\/purl>/g)].map((match) => (match[1] ?? '').replace(/&amp;/g, '&'));
    assert.equal(purls.length, 136);
    const cyclonedx = { bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: purls.map((purl, index) => ({ type: 'library', name: `c${index}`, purl })) };
    const spdx = {
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      packages: [
        { SPDXID: 'SPDXRef-image', name: 'postgres' },
        ...purls.map((purl, index) => ({ SPDXID: `SPDXRef-${index}`, name: `p${index}`, externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] })),
      ],
    };
    for (const [format, document] of [['cyclonedx-json', cyclonedx], ['spdx-json', spdx]] as const) {
      const read = readSbom(JSON.stringify(document));
      assert.equal(read.format, format);
      assert.equal(read.components, 136);
      assert.deepEqual(read.packages, fromXml.packages);
    }
  });
});

describe('SBOMs in: the CycloneDX specification examples', () => {
  const expected: Record<string, [string, string, string][]> = {
    '1.4': [['npm', '@acme/component', '1.0.0']],
    '1.5': [['npm', '@acme/component', '1.0.0']],
    // The pedigree's ancestor purl is history, not a component of the BOM.
    '1.6': [
      ['Maven', 'com.acme:tomcat-catalina', '9.0.14'],
      ['Maven', 'com.example:myapplication', '1.0.0'],
      ['Maven', 'com.example:myframework', '1.0.0'],
    ],
  };
  for (const [version, packages] of Object.entries(expected)) {
    it(`valid-bom-${version}.json`, () => {
      const read = readSbom(readFileSync(join(DATA, 'cyclonedx-examples', `valid-bom-${version}.json`), 'utf8'));
      assert.equal(read.specVersion, version);
      assert.deepEqual(read.packages.map((pkg) => [pkg.ecosystem, pkg.name, pkg.version]), packages);
    });
  }

  it('refuses what it does not read, saying what it is', () => {
    const cases: [string, RegExp][] = [
      ['{"bomFormat":"CycloneDX","specVersion":"1.3"}', /CycloneDX 1\.3 is not read/],
      ['{"spdxVersion":"SPDX-2.1"}', /SPDX-2\.1 is not read/],
      ['{"hello":1}', /no "bomFormat"/],
      ['[1,2]', /not an object/],
      ['not json', /neither JSON nor XML/],
      ['<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>', /unclosed/],
      ['<html></html>', /not a CycloneDX XML document/],
    ];
    for (const [text, message] of cases) assert.throws(() => readSbom(text), (error: Error) => error instanceof SbomError && message.test(error.message), text);
  });
});

describe('SBOM out: CycloneDX 1.6', { skip: needsShared }, () => {
  async function inventory(): Promise<ImageInventory> {
    const jar = zipArchive(
      [
        { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
        { name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', data: 'groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n' },
      ],
      { stored: true },
    );
    const files = new Map<string, Buffer>([
      ['/etc/os-release', Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')],
      ['/var/lib/dpkg/status', readFileSync(join(LOCKFILES, 'dpkg', 'multiple_status'))],
      ['/app/package-lock.json', readFileSync(join(LOCKFILES, 'npm', 'scoped-packages.v2.json'))],
      ['/app/lib/app.jar', jar],
    ]);
    const found = await packagesOf(files, { layerOf: (path) => (path.startsWith('/app/') ? 'sha256:app' : 'sha256:base') });
    assert.deepEqual(found.problems, []);
    return { reference: 'registry.example/shop:1.0', digest: 'sha256:0123', platform: 'linux/amd64', os: found.os, layers: ['sha256:base', 'sha256:app'], packages: found.packages };
  }

  it('validates against the CycloneDX 1.6 JSON schema and reads back to the same packages', async () => {
    const image = await inventory();
    assert.deepEqual(counts(image.packages), { 'Debian:12': 4, npm: 2, Maven: 1 });
    const document = inventoryToCycloneDx(image, { timestamp: '2026-12-03T16:00:00Z' });
    assert.deepEqual(cycloneDxValidator()(document), []);
    const read = readSbom(JSON.stringify(document));
    assert.deepEqual(read.packages, image.packages);
    assert.deepEqual(read.skipped, []);
  });

  it('is deterministic: the same inventory gives the same document, serial number included', async () => {
    const image = await inventory();
    const first = JSON.stringify(inventoryToCycloneDx(image, { timestamp: '2026-12-03T16:00:00Z' }));
    assert.equal(JSON.stringify(inventoryToCycloneDx(await inventory(), { timestamp: '2026-12-03T16:00:00Z' })), first);
    const changed = inventoryToCycloneDx({ ...image, packages: image.packages.slice(1) }, { timestamp: '2026-12-03T16:00:00Z' });
    assert.notEqual(changed['serialNumber'], JSON.parse(first).serialNumber);
  });

  it('an image with duplicate packages and no distribution still validates (bom-refs stay unique)', () => {
    const pkg: InstalledPackage = { ecosystem: 'npm', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' };
    const document = inventoryToCycloneDx({ reference: 'x', digest: null, platform: null, os: null, layers: [], packages: [pkg, pkg, { ecosystem: 'Go', name: 'example.com/m', version: '' }] });
    assert.deepEqual(cycloneDxValidator()(document), []);
  });
});
