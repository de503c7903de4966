/** A large JSON List is read item by item: the same objects and positions as a whole parse, and the same errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadResources, type InputError } from '../../src/loader/source.js';

function load(text: string): { objects: unknown[]; positions: { line: number; column: number }[]; errors: InputError[] } {
  const errors: InputError[] = [];
  const resources = [...loadResources('list.json', Buffer.from(text), errors, true)];
  return {
    objects: resources.map((resource) => resource.object),
    positions: resources.map((resource) => resource.document.position([...resource.prefix, 'spec', 'containers', 0, 'image'])),
    errors,
  };
}

/** A PodList past the size from which Lists are split (4 MiB), items without kind as the API server writes them. */
function podList(count: number, typed: boolean): { text: string; items: Record<string, unknown>[] } {
  const items = Array.from({ length: count }, (_, index) => ({
    ...(typed ? {} : { apiVersion: 'v1', kind: 'Pod' }),
    metadata: { name: `pod-${index}`, namespace: 'ns', annotations: { note: `"quoted" {braces} [brackets], ${'x'.repeat(index % 300)}` } },
    spec: { containers: [{ name: 'c', image: `img:${index}` }] },
  }));
  return { text: JSON.stringify({ apiVersion: 'v1', kind: typed ? 'PodList' : 'List', metadata: { resourceVersion: '1' }, items }, null, 2), items };
}

describe('large JSON Lists', () => {
  for (const typed of [false, true]) {
    it(`give the same objects and positions item by item as a whole parse (${typed ? 'PodList without item kinds' : 'List'})`, () => {
      const { text, items } = podList(20_000, typed);
      assert.ok(text.length > 4 << 20, 'past the split size');
      const { objects, positions, errors } = load(text);
      assert.deepEqual(errors, []);
      assert.deepEqual(objects, items.map((item) => (typed ? { apiVersion: 'v1', kind: 'Pod', ...item } : item)));
      // The image line of item i, counted in the text itself.
      const expected: { line: number; column: number }[] = [];
      text.split('\n').forEach((line, at) => {
        const image = /"image": "img:(\d+)"/.exec(line);
        if (image) expected[Number(image[1])] = { line: at + 1, column: line.indexOf('"image"') + 1 };
      });
      assert.deepEqual(positions, expected);
    });
  }

  it('a List item that is a List gives its own objects, as kubectl flattens it', () => {
    const { text, items } = podList(20_000, false);
    const nested = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'inner' }, spec: { containers: [{ name: 'c', image: 'img:inner' }] } }] };
    const withNested = JSON.stringify({ ...(JSON.parse(text) as object), items: [...items, nested] }, null, 2);
    const { objects, positions, errors } = load(withNested);
    assert.deepEqual(errors, []);
    assert.equal(objects.length, 20_001);
    assert.deepEqual(objects.at(-1), nested.items[0]);
    assert.equal(positions.at(-1)?.line, withNested.split('\n').findIndex((line) => line.includes('"image": "img:inner"')) + 1);
  });

  it('a bad item is an error at its line; a YAML-flow item is still read; trailing text is not a List', () => {
    const { text } = podList(20_000, false);
    const result = load(text.replace('"image": "img:7"', '"image": "img:7",').replace('"name": "pod-9"', '"name": "pod-9", "x": [}'));
    assert.equal(result.objects.length, 19_999, 'the trailing comma of pod-7 is YAML flow; pod-9 is lost');
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]?.message ?? '', /^items\[9\]: /);
    assert.equal(result.errors[0]?.line, text.split('\n').findIndex((line) => line.includes('"name": "pod-9"')) + 1 - 4);
    const trailing = load(`${text}\n}`);
    assert.equal(trailing.objects.length, 0);
    assert.equal(trailing.errors.length, 1);
  });
});
