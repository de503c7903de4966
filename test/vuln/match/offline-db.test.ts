/**
 * osv-scanner's offline-database cases (osv-scanner/offline-db-matching, from its PR #2934): the 28 real records
 * as the whole database, and the packages of its scan inputs. The Debian 9 image's CycloneDX SBOM must give exactly
 * osv-scanner's six findings with their fixed versions; each record→package match of the other inputs must be
 * found. Packages are derived here from the inputs' package URLs (the SBOM reader itself is src/vuln/sbom/'s); the
 * GIT cases (commit ranges, not package versions) are listed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AdvisoryIndex } from '../../../src/vuln/match/advisory-index.js';
import { matchPackage, matchPackages } from '../../../src/vuln/match/match.js';
import type { InstalledPackage } from '../../../src/vuln/model.js';
import { loadOsvDirectory } from '../../../src/vuln/osv/load.js';
import { needsShared, sharedPath } from '../../support/paths.js';

const BASE = (...parts: string[]): string => sharedPath('vuln', 'osv-scanner', 'offline-db-matching', ...parts);

/** Packages of a CycloneDX XML document, from its `<purl>` elements (deb, apk and golang purls only). */
function packagesFromPurls(xml: string): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  for (const [, raw] of xml.matchAll(/<purl>([^<]*)<\/purl>/g)) {
    const purl = raw!.replace(/&amp;/g, '&');
    const match = /^pkg:(deb|apk|golang)\/(.+)@([^?]+)(?:\?(.*))?$/.exec(purl);
    if (!match) continue;
    const [, type, path, version, query] = match;
    const qualifiers = new URLSearchParams(query ?? '');
    const distro = qualifiers.get('distro') ?? '';
    const name = decodeURIComponent(type === 'golang' ? path! : path!.split('/').at(-1)!);
    if (type === 'golang') packages.push({ ecosystem: 'Go', name, version: decodeURIComponent(version!), purl });
    else if (type === 'deb') packages.push({ ecosystem: `Debian:${distro.replace(/^debian-/, '').split('.')[0]}`, name, version: decodeURIComponent(version!), purl });
    else packages.push({ ecosystem: `Alpine:v${distro.replace(/^alpine-/, '').split('.').slice(0, 2).join('.')}`, name, version: decodeURIComponent(version!), sourceName: qualifiers.get('upstream') ?? name, purl });
  }
  return packages;
}

interface RecordMatch {
  readonly id: string;
  readonly ecosystem: string;
  readonly package: string;
  readonly version: string;
  readonly fixture: string;
}

const RELEASE_OF_FIXTURE: Readonly<Record<string, string>> = { Debian: 'Debian:9', Alpine: 'Alpine:v3.17' };

describe('osv-scanner’s offline database cases', { skip: needsShared }, () => {
  it('the Debian 9 SBOM: exactly osv-scanner’s 6 findings, with its fixed versions', async () => {
    const loaded = await loadOsvDirectory(BASE('offline-dbs'));
    assert.equal(loaded.records.length, 28);
    assert.deepEqual(loaded.problems, []);
    const packages = packagesFromPurls(readFileSync(BASE('testdata', 'sbom-insecure', 'postgres-stretch.cdx.xml'), 'utf8'));
    assert.equal(packages.length, 135); // 136 components, one of them a generic purl (postgresql)
    const expected = JSON.parse(readFileSync(BASE('expected.json'), 'utf8')) as { cases: { name: string; findings: { id: string; package: string; version: string; fixed_version: string }[] }[] };
    const sbomCase = expected.cases.find((entry) => entry.name === 'one_specific_supported_sbom_with_vulns')!;
    const found = matchPackages(packages, new AdvisoryIndex(loaded.records)).map((match) => `${match.id} ${match.package.name} ${match.package.version} → ${match.fixedVersion}`);
    assert.deepEqual(found.sort(), sbomCase.findings.map((finding) => `${finding.id} ${finding.package} ${finding.version} → ${finding.fixed_version}`).sort());
  });

  // One intended difference: musl-utils is built from the musl source package (its purl says `upstream=musl`, apk's
  // origin), so the advisory for musl affects it too. osv-scanner's SBOM reader ignores that qualifier and reports
  // musl alone; an image scan (apk's `installed` has the origin) reports both, as Trivy and Grype do.
  it('the Alpine SBOM: ALPINE-CVE-2025-26519 fixed in 1.2.3-r6 for musl and for musl-utils (same origin)', async () => {
    const loaded = await loadOsvDirectory(BASE('offline-dbs'));
    const packages = packagesFromPurls(readFileSync(BASE('testdata', 'locks-many-with-insecure', 'alpine.cdx.xml'), 'utf8'));
    const found = matchPackages(packages, new AdvisoryIndex(loaded.records)).map((match) => `${match.id} ${match.package.name} ${match.package.version} → ${match.fixedVersion}`);
    assert.deepEqual(found, ['ALPINE-CVE-2025-26519 musl 1.2.3-r4 → 1.2.3-r6', 'ALPINE-CVE-2025-26519 musl-utils 1.2.3-r4 → 1.2.3-r6']);
  });

  it('21 of the 25 record→package matches (Packagist included); the 4 GIT ones are not package-version matches we make', async () => {
    const loaded = await loadOsvDirectory(BASE('offline-dbs'));
    const index = new AdvisoryIndex(loaded.records);
    const matches = (JSON.parse(readFileSync(BASE('expected.json'), 'utf8')) as { record_matches: RecordMatch[] }).record_matches;
    assert.equal(matches.length, 25);
    const claimed = matches.filter((entry) => entry.ecosystem !== 'GIT');
    assert.equal(claimed.length, 21);
    assert.equal(claimed.filter((entry) => entry.ecosystem === 'Packagist').length, 4);
    const missed = claimed.filter((entry) => {
      const pkg = { ecosystem: RELEASE_OF_FIXTURE[entry.ecosystem] ?? entry.ecosystem, name: entry.package, version: entry.version };
      return !matchPackage(pkg, index).some((match) => match.id === entry.id);
    });
    assert.deepEqual(missed, []);
  });
});
