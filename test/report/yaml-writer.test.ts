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

describe('YAML writer', () => {
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
