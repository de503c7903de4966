import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { parse as parseYaml12 } from 'yaml';
import { KUBERNETES_YAML_SCHEMA } from '../../src/loader/yaml-schema.js';
import { writeYaml } from '../../src/report/yaml-writer.js';

/** Plain data as reports hold it: numbers without exponents (YAML 1.1 reads 1e+21 as a string). */
const data = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme-composite', maxLength: 12 }),
    fc.constantFrom('yes', 'No', 'on', 'OFF', 'true', 'null', '~', '- a', 'a: b', '#c', '1.30', '0x1F', '012', '.inf', '', ' lead', 'trail ', 'x #y', 'a\nb', '"q"', "'s'", '*ref', '&a', '!tag', '%', '@', '`', '{', '[', ']', '}', ',', '?', '|', '>'),
    fc.integer({ min: -1e12, max: 1e12 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('on', 'y', 'a b', 'a: b', '- x', '1')), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

/** One code point of each class the YAML spec treats differently, as a string (a lone surrogate is one unit). */
const codePointClasses = {
  'C0 controls': fc.integer({ min: 0x00, max: 0x1f }),
  'printable ASCII': fc.integer({ min: 0x20, max: 0x7e }),
  DEL: fc.constant(0x7f),
  'C1 controls (NEL included)': fc.integer({ min: 0x80, max: 0x9f }),
  'Latin-1 and BMP text': fc.integer({ min: 0xa0, max: 0xd7ff }),
  'lone surrogates': fc.integer({ min: 0xd800, max: 0xdfff }),
  'private use and the rest of the BMP': fc.integer({ min: 0xe000, max: 0xfffd }),
  'BOM, bidi controls, line and paragraph separators': fc.constantFrom(0xfeff, 0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069),
  'U+FFFE and U+FFFF': fc.constantFrom(0xfffe, 0xffff),
  'astral planes': fc.integer({ min: 0x10000, max: 0x10ffff }),
};
const codePoint = fc.oneof(...Object.values(codePointClasses)).map((point) => (point >= 0xd800 && point <= 0xdfff ? String.fromCharCode(point) : String.fromCodePoint(point)));
const anyText = fc.array(codePoint, { maxLength: 8 }).map((parts) => parts.join(''));

/** What YAML 1.2 § 5.1 lets a stream hold raw (tab, LF and CR only as we write them: inside escapes, never raw). */
const PRINTABLE = /^[\t\n\x20-\x7e\u0085\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

describe('YAML writer', () => {
  for (const [name, points] of Object.entries(codePointClasses)) {
    it(`writes ${name} so that js-yaml (1.2 core and kubectl-like 1.1) and the yaml library read them back`, () => {
      const text = points.map((point) => (point >= 0xd800 && point <= 0xdfff ? String.fromCharCode(point) : String.fromCodePoint(point)));
      fc.assert(
        fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), anyText, (parts, key) => {
          const value = { [`k${key}`]: parts.join(''), list: [`/var/log/app${parts.join('')}`, key] };
          const written = writeYaml(value);
          // Only printable characters and no BOM, lone surrogate or bidi control anywhere in the stream.
          assert.match(written, PRINTABLE, JSON.stringify(written));
          assert.doesNotMatch(written, /[\ufeff\u0085\u2028\u2029\u202a-\u202e\u2066-\u2069\x7f]/, JSON.stringify(written));
          assert.deepEqual(yaml.load(written), value, written);
          assert.deepEqual(yaml.load(written, { schema: KUBERNETES_YAML_SCHEMA }), value, written);
          assert.deepEqual(parseYaml12(written, { version: '1.1' }), value, written);
          assert.deepEqual(parseYaml12(written), value, written);
        }),
        { seed: 20261203, numRuns: 300 },
      );
    });
  }

  it('escapes DEL in a hostPath as \\u007f (the path kubectl refused)', () => {
    assert.equal(writeYaml({ path: '/var/log/app\x7f' }), 'path: "/var/log/app\\u007f"\n');
  });

  it('every YAML reader gets the written data back: js-yaml (1.2 core and kubectl-like 1.1) and the yaml library', () => {
    fc.assert(
      fc.property(data, (value) => {
        const text = writeYaml(value);
        assert.deepEqual(yaml.load(text), value, text);
        assert.deepEqual(yaml.load(text, { schema: KUBERNETES_YAML_SCHEMA }), value, text);
        assert.deepEqual(parseYaml12(text, { version: '1.1' }), value, text);
      }),
      { seed: 20261128, numRuns: 2000 },
    );
  });

  it('reads well: plain words stay plain, nested lists line up', () => {
    assert.equal(
      writeYaml({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', summary: { pass: 0 }, results: [{ policy: 'POD-NO-PRIVILEGED', properties: { line: '8' } }], empty: [] }),
      'apiVersion: wgpolicyk8s.io/v1alpha2\nkind: PolicyReport\nsummary:\n  pass: 0\nresults:\n- policy: POD-NO-PRIVILEGED\n  properties:\n    line: "8"\nempty: []\n',
    );
  });
});
