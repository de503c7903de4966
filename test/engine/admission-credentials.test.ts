/**
 * The RE2 rewriting of the scanner's credential patterns. What the rewritten patterns match is proven on the real
 * API server (test/cluster/vap-oracle.test.ts, SEC-NO-CREDENTIALS-IN-ENV's table); here, the rewriting rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { celSensitiveName, re2 } from '../../src/engine/admission-credentials.js';

describe('re2: a JavaScript pattern as RE2 with the same meaning', () => {
  const cases: { name: string; pattern: RegExp; re2: string }[] = [
    { name: 'JavaScript whitespace is written out', pattern: /a\sb/, re2: 'a[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]b' },
    { name: 'caseless letters fold ASCII only', pattern: /^sk$/i, re2: '^[sS][kK]$' },
    { name: 'classes and escapes are kept', pattern: /\b[A-Za-z0-9._-]{6,}\*/i, re2: '\\b[A-Za-z0-9._-]{6,}\\*' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(re2(c.pattern), c.re2));

  it('refuses what it does not translate', () => {
    assert.throws(() => re2(/a/g), /flags g/);
    assert.throws(() => re2(/[a-z]/i), /both cases/);
  });
});

describe('celSensitiveName', () => {
  it('tests the lower-cased hint first, then the words, then the last word', () => {
    const cel = celSensitiveName('e.name');
    assert.match(cel, /^\(e\.name\.lowerAscii\(\)\.matches\("passw\|/);
    assert.equal(cel.split('.matches(').length, 4);
  });
});
