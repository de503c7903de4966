/**
 * A large JSON List file is streamed item by item (src/loader/json-list-stream.ts): never read whole, yet the same
 * objects, positions and errors as the whole-text loader, and whatever is not plainly a List goes to that loader.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { FieldPath } from '../../src/vocabulary/field-path.js';
import { loadInput, type Input } from '../../src/loader/inputs.js';
import { streamJsonListFile } from '../../src/loader/json-list-stream.js';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

/** Every object of the real-world corpus (YAML and JSON manifests of well-known projects). */
function corpusObjects(): unknown[] {
  const objects: unknown[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(name)) for (const resource of loadResources(path, readFileSync(path), [], name.endsWith('.json'))) objects.push(resource.object);
    }
  };
  walk(sharedPath('corpus', 'real-world'));
  return objects;
}

/** Up to `limit` paths of an object's fields (leaves and collections), and one that does not exist. */
function fieldPaths(object: unknown, limit: number): FieldPath[] {
  const paths: FieldPath[] = [['metadata', 'no-such-field']];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (paths.length >= limit) return;
    paths.push(path);
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(object, []);
  return paths;
}

function wholeText(file: string, errors: InputError[]): LoadedResource[] {
  return [...loadResources(file, readFileSync(file), errors, true)];
}

function fileInput(path: string): Input {
  return { name: path, path, preferJson: true, read: () => Promise.resolve(readFileSync(path)) };
}

/** The streamed and the whole-text reading of `file`: the same objects, errors and positions of every field. */
async function assertSameAsWholeText(file: string, pathsPerObject: number): Promise<number> {
  const wholeErrors: InputError[] = [];
  const whole = wholeText(file, wholeErrors);
  const streamedErrors: InputError[] = [];
  const streamed = [...((await loadInput(fileInput(file), streamedErrors)) ?? [])];
  assert.deepEqual(streamedErrors, wholeErrors);
  assert.equal(streamed.length, whole.length);
  let compared = 0;
  whole.forEach((expected, index) => {
    const actual = streamed[index] as LoadedResource;
    assert.deepEqual(actual.object, expected.object);
    assert.deepEqual(actual.prefix, expected.prefix);
    for (const path of fieldPaths(expected.object, pathsPerObject)) {
      const full = [...expected.prefix, ...path];
      assert.deepEqual(actual.document.position(full), expected.document.position(full), `item ${index} at ${JSON.stringify(path)}`);
      compared++;
    }
  });
  return compared;
}

function write(t: TestContext, name: string, text: string | Buffer): string {
  const path = join(tempDir('json-list-stream', t), name);
  writeFileSync(path, text);
  return path;
}

/** A List past the size from which Lists are split (4 MiB) of `count` small Pods, and the Pods. */
function podList(count: number, spaces: number): string {
  const items = Array.from({ length: count }, (_, index) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${index}-é😀`, namespace: 'ns', annotations: { note: `"quoted" {braces} [brackets] \\ ${'x'.repeat(index % 200)}` } },
    spec: { containers: [{ name: 'c', image: `img:${index}`, ports: [{ containerPort: 80 }] }] },
  }));
  return JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, spaces);
}

describe('large JSON Lists streamed from their file', () => {
  const layouts = [
    { name: 'kubectl layout (4 spaces, kind after items)', spaces: 4, bom: false },
    { name: 'one line, with a byte order mark', spaces: 0, bom: true },
  ];
  for (const layout of layouts) {
    it(`the real-world corpus as one List, ${layout.name}: the whole-text loader's objects and positions`, { skip: needsShared }, async (t) => {
      const objects = corpusObjects();
      // Repeated until past the split size; typed items (no kind) too, as the API server writes a PodList.
      let items = objects;
      while (JSON.stringify(items).length < 5 << 20) items = [...items, ...objects];
      const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, layout.spaces);
      const file = write(t, 'corpus.json', layout.bom ? `\ufeff${text}` : text);
      assert.ok(streamJsonListFile(file, file, true, []), 'the file is streamed, not read whole');
      const compared = await assertSameAsWholeText(file, 40);
      assert.ok(compared > 50_000, `${compared} positions compared`);
    });
  }

  it('never reads the file whole, and keeps each item apart from the others', async (t) => {
    const file = write(t, 'pods.json', podList(20_000, 2));
    const input: Input = { name: file, path: file, preferJson: true, read: () => Promise.reject(new Error('read whole')) };
    const errors: InputError[] = [];
    const resources = [...((await loadInput(input, errors)) ?? [])];
    assert.deepEqual(errors, []);
    assert.equal(resources.length, 20_000);
    await assertSameAsWholeText(file, 20);
  });

  it('a bad item is an error at its line and column with the whole-text message; the others are read', async (t) => {
    // Nested deeper than the parsers allow, yet plain JSON structure, so the stream reads it and the item fails.
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    const text = podList(20_000, 2).replace('"image": "img:9"', `"image": "img:9", "deep": ${deep}`);
    const file = write(t, 'deep.json', text);
    assert.ok(streamJsonListFile(file, file, true, []));
    const errors: InputError[] = [];
    const resources = [...((await loadInput(fileInput(file), errors)) ?? [])];
    assert.equal(resources.length, 19_999);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /^items\[9\]: document is nested deeper than 256 levels/);
    await assertSameAsWholeText(file, 10);
  });

  const notPlainLists: { name: string; edit: (text: string) => string | Buffer }[] = [
    { name: 'text after the List', edit: (text) => `${text}\n}` },
    { name: 'a YAML-flow trailing comma in an item', edit: (text) => text.replace('"image": "img:7"', '"image": "img:7",') },
    { name: 'a broken item', edit: (text) => text.replace('"name": "c"', '"name": "c", "x": [}') },
    { name: 'a comment', edit: (text) => text.replace('"kind": "List"', '"kind": "List" # a comment') },
    { name: 'invalid UTF-8', edit: (text) => Buffer.concat([Buffer.from(text.slice(0, 5000)), Buffer.from([0xff]), Buffer.from(text.slice(5000))]) },
    { name: 'kind not a List', edit: (text) => text.replace('"kind": "List"', '"kind": "Pod"') },
    { name: 'an escaped key of the List', edit: (text) => text.replace('"items"', '"it\\u0065ms"') },
    { name: 'two items keys', edit: (text) => text.replace('"kind": "List"', '"kind": "List", "items": []') },
  ];
  for (const { name, edit } of notPlainLists) {
    it(`${name}: read by the whole-text loader, with its results and errors`, async (t) => {
      const file = write(t, 'list.json', edit(podList(20_000, 2)));
      assert.equal(streamJsonListFile(file, file, true, []), undefined, 'not streamed');
      await assertSameAsWholeText(file, 5);
    });
  }

  it('small files, folders and missing files are left to the whole-file read', (t) => {
    const dir = tempDir('json-list-stream', t);
    const small = join(dir, 'small.json');
    writeFileSync(small, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
    for (const path of [small, dir, join(dir, 'missing.json')]) assert.equal(streamJsonListFile(path, path, true, []), undefined, path);
  });
});
