/**
 * osv-scanner's offline matcher cases (../shared/vuln/osv-scanner/is-affected-cases, 203 record × package
 * verdicts): introduced/fixed/last_affected in and out of order, SEMVER and ECOSYSTEM ranges, several ranges and
 * affected entries, `versions` lists, other ecosystems, and how OS packages meet records (Debian source names,
 * Alpine origins, Go's stdlib, GIT `versions`, ecosystem releases, rpm epochs). Every verdict must agree.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AdvisoryIndex } from '../../../src/vuln/match/advisory-index.js';
import { matchPackage } from '../../../src/vuln/match/match.js';
import type { InstalledPackage } from '../../../src/vuln/model.js';
import type { OsvRecord } from '../../../src/vuln/osv/record.js';
import { needsShared, SHARED_PRESENT, sharedPath } from '../../support/paths.js';

interface Case {
  readonly test: string;
  readonly osv: OsvRecord;
  readonly package: {
    readonly name: string;
    readonly version: string;
    readonly purl_type: string;
    readonly metadata?: Record<string, string | number>;
    readonly source_code?: { readonly Repo: string };
  };
  readonly affected: boolean;
}

const OS_ECOSYSTEMS: Readonly<Record<string, string>> = { debian: 'Debian', alpine: 'Alpine', rhel: 'Red Hat', openeuler: 'openEuler' };

/** The package as our extractors describe it (osv-scalibr keeps the same facts in its per-type metadata). */
function installed(given: Case['package']): InstalledPackage {
  const metadata = given.metadata ?? {};
  const os = OS_ECOSYSTEMS[String(metadata.OSID ?? '').toLowerCase()];
  const release = metadata.OSVersionID === undefined ? '' : `:${os === 'Alpine' ? 'v' : ''}${metadata.OSVersionID}`;
  switch (given.purl_type) {
    case 'npm':
      return { ecosystem: 'npm', name: given.name, version: given.version };
    case 'golang':
      return { ecosystem: 'Go', name: given.name, version: given.version };
    case 'git':
      return { ecosystem: 'GIT', name: given.source_code!.Repo, version: given.version };
    case 'deb':
    case 'apk':
      return { ecosystem: `${os}${release}`, name: given.name, version: given.version, sourceName: String(metadata.SourceName ?? metadata.OriginName ?? given.name) };
    case 'rpm':
      return { ecosystem: os!, name: given.name, version: given.version, ...(metadata.Epoch !== undefined ? { epoch: Number(metadata.Epoch) } : {}) };
    default:
      throw new Error(`no mapping for ${given.purl_type}`);
  }
}

const CASES: Case[] = SHARED_PRESENT
  ? readFileSync(sharedPath('vuln', 'osv-scanner', 'is-affected-cases', 'cases.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Case)
  : [];

describe('OSV range semantics: osv-scanner’s is-affected cases', { skip: needsShared }, () => {
  it('all 203 verdicts agree (120 affected, 83 not)', () => {
    assert.equal(CASES.length, 203);
    assert.equal(CASES.filter((entry) => entry.affected).length, 120);
    const wrong = CASES.filter((entry) => {
      const pkg = installed(entry.package);
      return matchPackage(pkg, new AdvisoryIndex([entry.osv])).length > 0 !== entry.affected;
    }).map((entry) => `${entry.test}: ${entry.package.name}@${entry.package.version} expected ${entry.affected} for ${JSON.stringify(entry.osv.affected)}`);
    assert.deepEqual(wrong, []);
  });
});
