/**
 * The 592-record advisory slice against what osv.dev answered for the same packages (advisories/
 * oracle-overlap.jsonl, 36 queries): every expected id is found, no unexpected one is, apart from the timing
 * drift listed in known-drift.json, and withdrawn records never are.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AdvisoryIndex } from '../../../src/vuln/match/advisory-index.js';
import { matchPackage } from '../../../src/vuln/match/match.js';
import { loadOsvDirectory } from '../../../src/vuln/osv/load.js';
import { needsShared, sharedPath } from '../../support/paths.js';

interface OracleLine {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  readonly expect_ids: string[];
  readonly expect_not_ids: string[];
  readonly withdrawn_ids: string[];
}

describe('advisory slice against osv.dev’s recorded answers', { skip: needsShared }, () => {
  it('all 322 expected ids found, none of the 243 unexpected ones but the 37 listed drifts (36 newer Go stdlib records, 1 older PYSEC copy), no withdrawn one', async () => {
    const loaded = await loadOsvDirectory(sharedPath('vuln', 'advisories'));
    const index = new AdvisoryIndex(loaded.records);
    const lines = readFileSync(sharedPath('vuln', 'advisories', 'oracle-overlap.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as OracleLine);
    const drift = JSON.parse(readFileSync(sharedPath('vuln', 'advisories', 'known-drift.json'), 'utf8')) as { drift: { query: string[]; ids: string[] }[] };
    const driftIds = new Map(drift.drift.map((entry) => [entry.query.join(' '), new Set(entry.ids)]));
    assert.equal(lines.length, 36);
    let expected = 0;
    let found = 0;
    let unexpected = 0;
    let drifted = 0;
    const problems: string[] = [];
    for (const line of lines) {
      const query = `${line.ecosystem} ${line.name} ${line.version}`;
      const ids = new Set(matchPackage({ ecosystem: line.ecosystem, name: line.name, version: line.version }, index).map((match) => match.id));
      for (const id of line.expect_ids) {
        expected++;
        if (ids.has(id)) found++;
        else problems.push(`${query}: missed ${id}`);
      }
      for (const id of line.expect_not_ids) {
        unexpected++;
        if (!ids.has(id)) continue;
        if (driftIds.get(query)?.has(id)) drifted++;
        else problems.push(`${query}: wrongly matched ${id}`);
      }
      for (const id of line.withdrawn_ids) if (ids.has(id)) problems.push(`${query}: matched withdrawn ${id}`);
    }
    assert.deepEqual(problems, []);
    assert.equal(expected, 322);
    assert.equal(found, 322);
    assert.equal(unexpected, 243);
    assert.equal(drifted, 37);
  });
});
