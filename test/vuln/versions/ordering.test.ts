/**
 * Version ordering per ecosystem against the upstream tables in ../shared/vuln/version-ordering (each written by
 * the project whose tool defines the order: dpkg, apk-tools, rpm, pypa/packaging, node-semver, Maven, x/mod,
 * RubyGems) and osv-scanner's 71,818 cross-ecosystem comparisons (all of its ecosystems, Packagist, NuGet, Pub, Hackage
 * and CRAN included). Every line is checked both ways; the counts are
 * exact, so one lost agreement or one line fewer fails.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compareApk, isValidApkVersion } from '../../../src/vuln/versions/apk.js';
import { compareDebian, compareDebianPart } from '../../../src/vuln/versions/dpkg.js';
import { comparatorFor, type VersionComparator } from '../../../src/vuln/versions/ecosystem.js';
import { canonicalGoSemver, compareGoSemver } from '../../../src/vuln/versions/go.js';
import { compareMaven } from '../../../src/vuln/versions/maven.js';
import { comparePep440, normalizePep440, parsePep440 } from '../../../src/vuln/versions/pep440.js';
import { compareRpm, compareRpmSegments } from '../../../src/vuln/versions/rpm.js';
import { compareRubyGems } from '../../../src/vuln/versions/rubygems.js';
import { compareLenientSemver, compareStrictSemver, parseStrictSemver } from '../../../src/vuln/versions/semver.js';
import { needsShared, sharedPath } from '../../support/paths.js';

interface Comparison {
  readonly a: string;
  readonly b: string;
  readonly cmp: number;
  readonly loose?: boolean;
}

const ORDERING = (...parts: string[]): string => sharedPath('vuln', 'version-ordering', ...parts);

function readLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** The lines where compare(a, b) or compare(b, a) disagrees with the table. */
function disagreements(lines: readonly Comparison[], compare: VersionComparator): string[] {
  return lines
    .filter((line) => Math.sign(compare(line.a, line.b)) !== line.cmp || Math.sign(compare(line.b, line.a)) !== -line.cmp)
    .map((line) => `${line.a} vs ${line.b}: expected ${line.cmp}, got ${Math.sign(compare(line.a, line.b))}/${Math.sign(compare(line.b, line.a))}`);
}

const NATIVE_TABLES: readonly { file: string; compare: VersionComparator; lines: number }[] = [
  { file: 'dpkg/versions.jsonl', compare: compareDebian, lines: 52 },
  { file: 'apk/versions.jsonl', compare: compareApk, lines: 738 },
  { file: 'rpm/versions.jsonl', compare: compareRpmSegments, lines: 91 },
  { file: 'rpm/evr.jsonl', compare: compareRpm, lines: 14 },
  { file: 'pypi/versions.jsonl', compare: comparePep440, lines: 8569 },
  { file: 'go/versions.jsonl', compare: compareGoSemver, lines: 1024 },
  { file: 'maven/versions.jsonl', compare: compareMaven, lines: 1988 },
  { file: 'rubygems/versions.jsonl', compare: compareRubyGems, lines: 30 },
];

describe('version ordering: the native tools’ own tables', { skip: needsShared }, () => {
  for (const table of NATIVE_TABLES) {
    it(`${table.file}: all ${table.lines} lines, both directions`, () => {
      const lines = readLines<Comparison>(ORDERING(table.file));
      assert.equal(lines.length, table.lines);
      assert.deepEqual(disagreements(lines, table.compare), []);
    });
  }

  it('npm-semver: the 41 lines of node-semver’s default mode agree, and the 58 loose-mode lines with the npm ecosystem’s lenient reading', () => {
    const lines = readLines<Comparison>(ORDERING('npm-semver', 'versions.jsonl'));
    const strict = lines.filter((line) => !line.loose);
    const loose = lines.filter((line) => line.loose);
    assert.equal(strict.length, 41);
    assert.equal(loose.length, 58);
    assert.deepEqual(disagreements(strict, compareStrictSemver), []);
    // Loose mode (`=1.2.3`, `v 1.2.3`, `1.2.3pre`) is node-semver's, not SemVer's: OSV SEMVER ranges never need it.
    assert.deepEqual(disagreements(loose, comparatorFor('npm')!), []);
  });

  it('npm-semver: valid and invalid versions parse as strict SemVer says', () => {
    const valid = readLines<{ version: string; major: number; minor: number; patch: number; prerelease: (string | number)[]; loose?: boolean }>(ORDERING('npm-semver', 'valid.jsonl'));
    const strictValid = valid.filter((entry) => !entry.loose);
    assert.ok(strictValid.length > 0);
    for (const entry of strictValid) {
      const parsed = parseStrictSemver(entry.version);
      assert.ok(parsed, entry.version);
      assert.deepEqual(parsed.core, [String(entry.major), String(entry.minor), String(entry.patch)]);
      assert.deepEqual(parsed.prerelease, entry.prerelease.map(String));
    }
    for (const entry of readLines<{ version: string }>(ORDERING('npm-semver', 'invalid.jsonl'))) assert.equal(parseStrictSemver(entry.version), null);
  });

  it('go: all 32 canonical forms', () => {
    const entries = readLines<{ version: string; canonical: string }>(ORDERING('go', 'canonical.jsonl'));
    assert.equal(entries.length, 32);
    for (const entry of entries) assert.equal(canonicalGoSemver(entry.version), entry.canonical, entry.version);
  });

  it('pypi: 149 normalisations and 112 validity cases', () => {
    const normalized = readLines<{ version: string; normalized: string }>(ORDERING('pypi', 'normalized.jsonl'));
    assert.equal(normalized.length, 149);
    for (const entry of normalized) assert.equal(normalizePep440(parsePep440(entry.version)!), entry.normalized, entry.version);
    const validity = readLines<{ version: string; valid: boolean }>(ORDERING('pypi', 'validity.jsonl'));
    assert.equal(validity.length, 112);
    for (const entry of validity) assert.equal(parsePep440(entry.version) !== null, entry.valid, entry.version);
  });

  it('apk: 31 validity cases', () => {
    const validity = readLines<{ version: string; valid: boolean }>(ORDERING('apk', 'validity.jsonl'));
    assert.equal(validity.length, 31);
    for (const entry of validity) assert.equal(isValidApkVersion(entry.version), entry.valid, entry.version);
  });

  it('dpkg: the three sort lists of dpkg’s tests', () => {
    const lists = JSON.parse(readFileSync(ORDERING('dpkg', 'sorted.json'), 'utf8')) as { function: string; expected_order: string[] }[];
    assert.equal(lists.length, 3);
    for (const list of lists) {
      const compare = list.function === 'version_compare' ? compareDebian : compareDebianPart;
      assert.deepEqual([...list.expected_order].reverse().sort(compare), list.expected_order, list.function);
    }
  });

  it('rubygems: the not-equal pairs differ', () => {
    for (const pair of readLines<Comparison>(ORDERING('rubygems', 'not_equal.jsonl'))) assert.notEqual(compareRubyGems(pair.a, pair.b), 0);
  });
});

/**
 * osv-scanner's hand-written Alpine table orders versions that apk 3 rejects as invalid the way its own lenient
 * parser does (`0..1..0`, `.2`, `a`, `1-r`); apk-tools 3 stops reading at the first invalid token, and so do we.
 * The apk-tools table and the 13,979 orderings generated with real `apk version -t` agree in full.
 */
const ALPINE_INVALID_VERSION_LINES: readonly string[] = [
  '1-r vs 1-r0',
  '0..1..0 vs 0..1..1',
  '0...1...0 vs 0...1...1',
  '0...1...0.r1 vs 0...1...0.r2',
  '0...1...0r1 vs 0...1...0r2',
  '0..8 vs 0...8',
  '0.8.21.r2 vs 0.8.21.r1',
  '1-r0-1 vs 1-r-2',
  '.2 vs .1',
  'a vs b',
  'c vs b',
];

/** osv-scanner's fixture files per ecosystem we order, with their exact line counts. */
const SCALIBR_TABLES: readonly { file: string; ecosystems: string[]; lines: number }[] = [
  { file: 'alpine-versions-generated', ecosystems: ['Alpine:v3.19'], lines: 13979 },
  { file: 'debian-versions', ecosystems: ['Debian:12', 'Ubuntu:22.04'], lines: 30 },
  { file: 'debian-versions-generated', ecosystems: ['Debian:12', 'Ubuntu:22.04'], lines: 14442 },
  { file: 'pypi-versions', ecosystems: ['PyPI'], lines: 37 },
  { file: 'pypi-versions-generated', ecosystems: ['PyPI'], lines: 12375 },
  { file: 'rubygems-versions', ecosystems: ['RubyGems'], lines: 25 },
  { file: 'rubygems-versions-generated', ecosystems: ['RubyGems'], lines: 4098 },
  { file: 'redhat-versions', ecosystems: ['Red Hat', 'AlmaLinux', 'Rocky Linux'], lines: 165 },
  { file: 'semver-versions', ecosystems: ['npm', 'crates.io', 'Go', 'Hex'], lines: 86 },
  // Composer's own ordering generated these 10,630 (osv-scanner's generate-packagist-versions.php), R's compareVersion the 57.
  { file: 'packagist-versions', ecosystems: ['Packagist'], lines: 95 },
  { file: 'packagist-versions-generated', ecosystems: ['Packagist'], lines: 10630 },
  { file: 'nuget-versions', ecosystems: ['NuGet'], lines: 35 },
  { file: 'pub-versions', ecosystems: ['Pub'], lines: 100 },
  { file: 'hackage-versions', ecosystems: ['Hackage'], lines: 11 },
  { file: 'cran-versions', ecosystems: ['CRAN'], lines: 21 },
  { file: 'cran-versions-generated', ecosystems: ['CRAN'], lines: 57 },
];

const scalibr = (file: string): Comparison[] => readLines<Comparison>(ORDERING('osv-scalibr-semantic', 'jsonl', `${file}.jsonl`));

describe('version ordering: osv-scanner’s cross-ecosystem fixtures', { skip: needsShared }, () => {
  for (const table of SCALIBR_TABLES) {
    it(`${table.file}: all ${table.lines} lines for ${table.ecosystems.join(', ')}`, () => {
      const lines = scalibr(table.file);
      assert.equal(lines.length, table.lines);
      for (const ecosystem of table.ecosystems) assert.deepEqual(disagreements(lines, comparatorFor(ecosystem)!), [], ecosystem);
    });
  }

  it('alpine-versions: 767 of 778 agree; the 11 others order versions apk 3 rejects', () => {
    const lines = scalibr('alpine-versions');
    assert.equal(lines.length, 778);
    const differing = lines.filter((line) => disagreements([line], compareApk).length > 0).map((line) => `${line.a} vs ${line.b}`);
    assert.deepEqual(differing, ALPINE_INVALID_VERSION_LINES);
    assert.ok(ALPINE_INVALID_VERSION_LINES.every((line) => line.split(' vs ').some((version) => !isValidApkVersion(version))));
  });

  it('maven: all 14,854 lines, the 29 where Maven 3.9+ differs from 3.8.6 as current Maven orders them', () => {
    const drift = readLines<Comparison & { cmp_maven_head: number }>(ORDERING('osv-scalibr-semantic', 'maven-vs-current-maven.jsonl'));
    assert.equal(drift.length, 29);
    const current = new Map(drift.map((line) => [`${line.a}\u0000${line.b}`, line.cmp_maven_head]));
    const lines = [...scalibr('maven-versions'), ...scalibr('maven-versions-generated')];
    assert.equal(lines.length, 14854);
    const expected = lines.map((line) => ({ ...line, cmp: current.get(`${line.a}\u0000${line.b}`) ?? line.cmp }));
    assert.equal(expected.filter((line, index) => line.cmp !== lines[index]!.cmp).length, 29);
    assert.deepEqual(disagreements(expected, comparatorFor('Maven')!), []);
  });

});
