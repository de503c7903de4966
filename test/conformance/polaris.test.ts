/**
 * Polaris check fixtures through the corresponding kubeharden controls: a `failure` file must give at least one
 * finding, any other file none, except for the documented intended differences, each of which must still differ
 * in the recorded way. The counts are exact, so one lost agreement (or one fixture fewer) fails.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertDocumentedFigures } from '../support/peer-figures.js';
import { needsShared, SHARED_PRESENT, sharedPath } from '../support/paths.js';
import { scanAll } from '../support/scan-text.js';
import { POLARIS_INTENDED_DIFFERENCES } from './polaris-differences.js';
import { POLARIS_TO_CONTROLS } from './polaris-mapping.js';

const CHECKS_DIR = sharedPath('conformance', 'polaris-checks', 'test', 'checks');

/** Measured on the fixtures in ../shared; docs/peer-differences.md and the README quote them. */
const EXPECTED_COMPARED = 244;
const EXPECTED_AGREED = 186;

describe('Polaris agreement', { skip: needsShared }, () => {
  const seen = new Set<string>();
  let agreed = 0;

  for (const [check, mapping] of Object.entries(POLARIS_TO_CONTROLS)) {
    it(`${check} → ${mapping.controls.join(' + ')}`, async () => {
      const files = SHARED_PRESENT
        ? readdirSync(join(CHECKS_DIR, check)).filter((name) => name.endsWith('.yaml') && !name.startsWith('mutated') && name !== 'check.yaml')
        : [];
      assert.ok(files.length > 0);
      for (const file of files) {
        const id = `${check}/${file}`;
        const result = await scanAll(readFileSync(join(CHECKS_DIR, check, file), 'utf8'));
        assert.deepEqual(result.errors, [], `${id} must load`);
        const hits = result.findings.filter((f) => mapping.controls.includes(f.controlId) && (!mapping.fields || mapping.fields.test(f.field)));
        const agree = file.includes('failure') ? hits.length > 0 : hits.length === 0;
        const reported = [...new Set(hits.map((hit) => hit.controlId))].sort();
        seen.add(id);
        const difference = POLARIS_INTENDED_DIFFERENCES[id];
        if (difference) {
          assert.ok(!agree, `${id} now agrees with Polaris: remove it from the intended differences`);
          assert.deepEqual(reported, [...difference.kubeharden].sort(), `${id} differs from Polaris in another way than recorded`);
        } else {
          assert.ok(agree, `${id}: expected ${file.includes('failure') ? 'a finding' : 'no finding'}, got [${hits.map((h) => h.message).join(' | ')}]`);
          agreed++;
        }
      }
    });
  }

  it(`compares exactly ${EXPECTED_COMPARED} fixture files, of which ${EXPECTED_AGREED} agree, and every listed difference is a fixture`, () => {
    for (const id of Object.keys(POLARIS_INTENDED_DIFFERENCES)) assert.ok(seen.has(id), `${id} is not a compared fixture file`);
    assert.equal(seen.size, EXPECTED_COMPARED, 'fixture files compared');
    assert.equal(agreed, EXPECTED_AGREED, 'fixture files that agree');
    assert.equal(Object.keys(POLARIS_INTENDED_DIFFERENCES).length, EXPECTED_COMPARED - EXPECTED_AGREED, 'documented differences');
  });

  it('the documentation quotes the measured figures', () => {
    assertDocumentedFigures('Polaris', { compared: EXPECTED_COMPARED, agreed: EXPECTED_AGREED });
  });
});
