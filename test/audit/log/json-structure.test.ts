import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonDepth, itemSpans } from '../../../src/audit/log/json-structure.js';

function spanTexts(text: string): string[] | undefined {
  return itemSpans(text)?.map(([start, end]) => text.slice(start, end));
}

describe('itemSpans', () => {
  it('finds each element of the top-level items array, whatever it is', () => {
    const text = '{"kind":"EventList","items":[ {"a":[1,{"b":"]"}]}, "x\\"]", 12 ,true,[1,[2]] ,null]}';
    assert.deepEqual(spanTexts(text), ['{"a":[1,{"b":"]"}]}', '"x\\"]"', '12', 'true', '[1,[2]]', 'null']);
  });

  it('ignores items keys below the top level and strings that look like keys', () => {
    const text = '{"metadata":{"items":[1]},"note":"\\"items\\":[2]","items":[{"items":[3]}]}';
    assert.deepEqual(spanTexts(text), ['{"items":[3]}']);
  });

  it('handles an empty list and a document without items', () => {
    assert.deepEqual(spanTexts('{"items": [ ]}'), []);
    assert.equal(itemSpans('{"kind":"Event"}'), undefined);
    assert.equal(itemSpans('{"items":{}}'), undefined);
  });
});

describe('JsonDepth', () => {
  it('says where a value fed line by line ends, brackets in strings and escapes included', () => {
    const depth = new JsonDepth();
    const lines = ['{', '  "a": "}\\"{",', '  "b": [', '    {"c": "\\\\"}', '  ]', '}'];
    assert.deepEqual(lines.map((line) => depth.feed(line)), [false, false, false, false, false, true]);
  });
});
