/**
 * Packed strings stand in for Map keys and string arrays in the tables a scan keeps per object (duplicates, the
 * network model's pods, the inventory's workload names): they must answer exactly as a Map would, for any text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { PackedStrings, StringIds } from '../../src/util/string-ids.js';

/** Any UTF-16 code unit, lone surrogates included (JSON input can spell them as `\ud800`). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const anyText = (maxLength: number) => fc.oneof(fc.string({ unit: 'binary', maxLength }), fc.string({ unit: codeUnit, maxLength }), fc.string({ unit: 'grapheme-ascii', maxLength }));

describe('packed strings', () => {
  it('give back every string as added, in any script, past every growth of the buffer', () => {
    fc.assert(
      fc.property(fc.array(anyText(40), { maxLength: 3000 }), (texts) => {
        const packed = new PackedStrings();
        const ids = texts.map((text) => packed.add(text));
        assert.deepEqual(ids, texts.map((_, index) => index));
        assert.deepEqual(ids.map((id) => packed.text(id)), texts);
      }),
      { numRuns: 30 },
    );
  });

  it('holds a string longer than the first buffer', () => {
    const packed = new PackedStrings();
    const long = 'é'.repeat(100_000);
    packed.add('a');
    assert.equal(packed.text(packed.add(long)), long);
    assert.equal(packed.text(0), 'a');
  });
});

describe('string ids', () => {
  it('answer as a Map of first ids would: texts that repeat, differ by one unit, have equal bytes in another encoding, or hold lone surrogates', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyText(12), fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'a\u0000b', 'é', 'e\u0301', '\ud800', '\ud801', '\ufffd', '\u6261', 'ab\u0100')), { maxLength: 5000 }), (texts) => {
        const ids = new StringIds();
        const reference = new Map<string, number>();
        for (const text of texts) {
          const expected = reference.get(text);
          assert.equal(ids.find(text), expected ?? -1);
          const { id, added } = ids.intern(text);
          assert.equal(added, expected === undefined);
          if (expected === undefined) reference.set(text, id);
          else assert.equal(id, expected);
        }
        assert.equal(ids.size, reference.size);
        for (const [text, id] of reference) {
          assert.equal(ids.text(id), text);
          assert.equal(ids.find(text), id);
        }
        assert.deepEqual([...reference.values()], [...reference.keys()].map((_, index) => index), 'dense ids in the order first seen');
      }),
      { numRuns: 30 },
    );
  });

  it('find every one of 100,000 keys again after many rehashes, and no key never added', () => {
    const ids = new StringIds();
    for (let index = 0; index < 100_000; index++) assert.equal(ids.intern(`team-${index % 50}\u0000Pod\u0000app-${index}`).id, index);
    for (let index = 0; index < 100_000; index += 7) assert.equal(ids.find(`team-${index % 50}\u0000Pod\u0000app-${index}`), index);
    assert.equal(ids.find('team-0\u0000Pod\u0000app-100000'), -1);
    assert.equal(ids.find('team-1\u0000Pod\u0000app-0'), -1);
  });

  it('cost little while empty or nearly so: a scan makes some forty of them, whatever its size', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = () => {
      gc();
      gc();
      const { heapUsed, external } = process.memoryUsage();
      return heapUsed + external;
    };
    const before = used();
    const tables = Array.from({ length: 500 }, (_, index) => {
      const ids = new StringIds();
      ids.intern(`Deployment/app-${index}`);
      return ids;
    });
    const perTable = (used() - before) / tables.length;
    assert.equal(tables.length, 500);
    // Each held 33 KiB when tables started at 1,024 strings.
    assert.ok(perTable < 3000, `${perTable.toFixed(0)} bytes a table holding one string`);
    // Empty ones (most of the forty) allocate no arrays until their first string; they held 0.7 KB before that.
    const beforeEmpty = used();
    const empty = Array.from({ length: 500 }, () => new StringIds());
    const perEmpty = (used() - beforeEmpty) / empty.length;
    assert.equal(empty.filter((ids) => ids.size === 0 && ids.find('Deployment/app') === -1).length, 500);
    assert.ok(perEmpty < 400, `${perEmpty.toFixed(0)} bytes an empty table`);
  });
});
