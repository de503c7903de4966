/**
 * Polaris check fixtures through the corresponding kubeharden controls: a `failure` file must give at least one
 * finding, any other file none, except for the documented intended differences.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { needsShared, SHARED_PRESENT, sharedPath } from '../support/paths.js';
import { scanAll } from '../support/scan-text.js';
import { POLARIS_INTENDED_DIFFERENCES } from './polaris-differences.js';
import { POLARIS_TO_CONTROLS } from './polaris-mapping.js';

const CHECKS_DIR = sharedPath('conformance', 'polaris-checks', 'test', 'checks');

function intendedDifference(check: string, file: string): string | undefined {
  return POLARIS_INTENDED_DIFFERENCES[`${check}/${file}`] ?? POLARIS_INTENDED_DIFFERENCES[`${check}/*`];
}

describe('Polaris agreement', { skip: needsShared }, () => {
  const used = new Set<string>();
  let compared = 0;
  let agreed = 0;

  for (const [check, mapping] of Object.entries(POLARIS_TO_CONTROLS)) {
    it(`${check} → ${mapping.controls.join(' + ')}`, async () => {
      const files = SHARED_PRESENT
        ? readdirSync(join(CHECKS_DIR, check)).filter((name) => name.endsWith('.yaml') && !name.startsWith('mutated') && name !== 'check.yaml')
        : [];
      assert.ok(files.length > 0);
      for (const file of files) {
        const result = await scanAll(readFileSync(join(CHECKS_DIR, check, file), 'utf8'));
        assert.deepEqual(result.errors, [], `${check}/${file} must load`);
        const hits = result.findings.filter((f) => mapping.controls.includes(f.controlId) && (!mapping.fields || mapping.fields.test(f.field)));
        const agree = file.includes('failure') ? hits.length > 0 : hits.length === 0;
        compared++;
        const difference = intendedDifference(check, file);
        if (difference) {
          used.add(POLARIS_INTENDED_DIFFERENCES[`${check}/${file}`] ? `${check}/${file}` : `${check}/*`);
          if (!POLARIS_INTENDED_DIFFERENCES[`${check}/${file}`] && agree) {
            agreed++;
            continue; // a check-wide difference may still agree on some files
          }
          assert.ok(!agree, `${check}/${file} now agrees with Polaris: remove it from the intended differences`);
        } else {
          assert.ok(agree, `${check}/${file}: expected ${file.includes('failure') ? 'a finding' : 'no finding'}, got [${hits.map((h) => h.message).join(' | ')}]`);
          agreed++;
        }
      }
    });
  }

  it('uses every listed difference and compares the whole mapped suite', () => {
    for (const key of Object.keys(POLARIS_INTENDED_DIFFERENCES)) assert.ok(used.has(key), `${key} matches no case`);
    assert.ok(compared >= 240, `${compared} cases compared`);
    assert.ok(agreed >= 180, `${agreed} cases agree`);
  });
});
