/**
 * osv-scanner's lockfile and OS-database parsing fixtures (../shared/vuln/osv-scanner/lockfile-parsing) through
 * kubeharden's parsers: for every case of the formats we read, the exact package list (`packages`, order ignored,
 * duplicates counted), the packages it must include (`includes`), or the error (`not-exist`, or a message part).
 * Compared: name, version and commit (a git dependency's); the dependency groups too where our parser keeps them (requirements files,
 * Pipfile.lock). The numbers of cases and packages compared per format are exact, so a lost fixture fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseApkInstalled } from '../../src/vuln/packages/apk.js';
import { parseDpkgStatus } from '../../src/vuln/packages/dpkg.js';
import { parseGoMod } from '../../src/vuln/packages/go-mod.js';
import { parsePomXml } from '../../src/vuln/packages/maven.js';
import { parseNpmLock } from '../../src/vuln/packages/npm.js';
import { parsePipfileLock, parsePoetryLock, parseRequirements } from '../../src/vuln/packages/python.js';
import { needsShared, SHARED_PRESENT, sharedPath } from '../support/paths.js';

const ROOT = sharedPath('vuln', 'osv-scanner', 'lockfile-parsing');

interface ExpectedPackage {
  readonly name: string;
  readonly version: string;
  readonly commit?: string;
  readonly dep_groups?: string[];
}

interface Case {
  readonly test: string;
  readonly parser: string;
  readonly fixture: string;
  readonly error: null | 'not-exist' | { contains: string };
  readonly packages?: ExpectedPackage[];
  readonly includes?: ExpectedPackage[];
}

/** What a parser returns, in the fields compared. `groups` is undefined where the parser does not keep groups. */
interface Compared {
  readonly name: string;
  readonly version: string;
  readonly commit: string;
  readonly groups?: string[];
}

function read(fixture: string): string {
  return readFileSync(`${ROOT}/${fixture}`, 'utf8');
}

/** Each format we claim: its parser over a fixture path (a missing file throws ENOENT, as upstream's not-exist). */
const PARSERS: Record<string, (fixture: string) => Compared[]> = {
  ParseNpmLock: (fixture) => parseNpmLock(read(fixture)).map((entry) => ({ name: entry.name, version: entry.version, commit: entry.commit ?? '' })),
  'NodeModulesExtractor(node_modules/.package-lock.json)': (fixture) => parseNpmLock(read(fixture)).map((entry) => ({ name: entry.name, version: entry.version, commit: entry.commit ?? '' })),
  ParseRequirementsTxt: (fixture) =>
    parseRequirements(`/${fixture}`, (path) => (existsSync(`${ROOT}${path}`) ? readFileSync(`${ROOT}${path}`, 'utf8') : undefined)).map((entry) => ({
      name: entry.name,
      version: entry.version,
      commit: '',
      groups: [...entry.groups].sort(),
    })),
  ParsePipenvLock: (fixture) => parsePipfileLock(read(fixture)).map((entry) => ({ name: entry.name, version: entry.version, commit: '', groups: entry.dev ? ['dev'] : [] })),
  ParsePoetryLock: (fixture) => parsePoetryLock(read(fixture)).map((entry) => ({ name: entry.name, version: entry.version, commit: entry.commit ?? '' })),
  ParseGoLock: (fixture) => parseGoMod(read(fixture)).map((entry) => ({ name: entry.name, version: entry.version, commit: '' })),
  ParseMavenLock: (fixture) => parsePomXml(read(fixture)).map((entry) => ({ name: `${entry.groupId}:${entry.artifactId}`, version: entry.version, commit: '' })),
  // Upstream names a Debian package by its source package and version (the advisories' names).
  ParseDpkgStatus: (fixture) => parseDpkgStatus(read(fixture)).map((entry) => ({ name: entry.sourceName, version: entry.sourceVersion, commit: '' })),
  ParseApkInstalled: (fixture) => parseApkInstalled(read(fixture)).map((entry) => ({ name: entry.name, version: entry.version, commit: entry.commit ?? '' })),
};

/** Cases and expected packages per format, measured on the fixtures; docs/vuln.md quotes them. */
const EXPECTED_COUNTS: Record<string, { cases: number; packages: number }> = {
  ParseNpmLock: { cases: 28, packages: 77 },
  'NodeModulesExtractor(node_modules/.package-lock.json)': { cases: 24, packages: 71 },
  ParseRequirementsTxt: { cases: 17, packages: 64 },
  ParsePipenvLock: { cases: 9, packages: 10 },
  ParsePoetryLock: { cases: 9, packages: 7 },
  ParseGoLock: { cases: 12, packages: 20 },
  ParseMavenLock: { cases: 9, packages: 11 },
  ParseDpkgStatus: { cases: 8, packages: 9 },
  ParseApkInstalled: { cases: 7, packages: 6 },
};

function expectedOf(entry: ExpectedPackage, withGroups: boolean): Compared {
  return { name: entry.name, version: entry.version, commit: entry.commit ?? '', ...(withGroups ? { groups: [...(entry.dep_groups ?? [])].sort() } : {}) };
}

function key(entry: Compared): string {
  return JSON.stringify([entry.name, entry.version, entry.commit, entry.groups ?? null]);
}

const cases: Case[] = SHARED_PRESENT ? (JSON.parse(read('expected.json')) as { cases: Case[] }).cases : [];

describe('osv-scanner lockfile-parsing fixtures', { skip: needsShared }, () => {
  const counted = new Map<string, { cases: number; packages: number }>();

  for (const testCase of cases.filter((candidate) => PARSERS[candidate.parser])) {
    it(`${testCase.parser}: ${testCase.test}`, () => {
      const parse = PARSERS[testCase.parser];
      assert.ok(parse);
      const count = counted.get(testCase.parser) ?? { cases: 0, packages: 0 };
      counted.set(testCase.parser, { cases: count.cases + 1, packages: count.packages + (testCase.packages?.length ?? 0) + (testCase.includes?.length ?? 0) });
      if (testCase.error === 'not-exist') {
        assert.throws(() => parse(testCase.fixture), (error: Error & { code?: string }) => error.code === 'ENOENT' || /no such requirements file/.test(error.message));
        return;
      }
      if (testCase.error) {
        const contains = testCase.error.contains;
        assert.throws(() => parse(testCase.fixture), (error: Error) => error.message.includes(contains), `the error must say "${contains}"`);
        return;
      }
      const found = parse(testCase.fixture);
      const withGroups = found.some((entry) => entry.groups !== undefined);
      if (testCase.includes?.length) {
        const keys = new Set(found.map(key));
        for (const expected of testCase.includes) assert.ok(keys.has(key(expectedOf(expected, withGroups))), `${testCase.fixture} must include ${expected.name}@${expected.version}`);
        return;
      }
      assert.deepEqual(found.map(key).sort(), (testCase.packages ?? []).map((entry) => key(expectedOf(entry, withGroups))).sort());
    });
  }

  it('compares exactly the cases and packages measured for each format', () => {
    assert.deepEqual(Object.fromEntries([...counted].sort()), Object.fromEntries(Object.entries(EXPECTED_COUNTS).sort()));
  });
});

describe('lockfile-parsing fixtures kubeharden does not read', { skip: needsShared }, () => {
  it('are the formats docs/vuln.md lists with the reason', () => {
    const unclaimed = [...new Set(cases.filter((candidate) => !PARSERS[candidate.parser]).map((candidate) => candidate.parser))].sort();
    assert.deepEqual(unclaimed, ['ParseCargoLock', 'ParseComposerLock', 'ParseGemfileLock', 'ParsePnpmLock', 'ParseYarnLock']);
    const docs = readFileSync(new URL('../../../docs/vuln.md', import.meta.url), 'utf8');
    for (const parser of unclaimed) assert.ok(docs.includes(parser), `docs/vuln.md must say why ${parser} is not read`);
  });
});
