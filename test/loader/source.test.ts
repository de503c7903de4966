/** Bad input never crashes the loader and never hides the other documents. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';
import { scanText } from '../support/scan-text.js';

function load(input: string | Uint8Array, preferJson = false): { resources: LoadedResource[]; errors: InputError[] } {
  const errors: InputError[] = [];
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const resources = [...loadResources('in.yaml', bytes, errors, preferJson)];
  return { resources, errors };
}

const POD = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: x\n`;
const names = (resources: LoadedResource[]) => resources.map((r) => (r.object.metadata as { name: string }).name);

describe('loadResources', () => {
  it('reads multi-document YAML and skips empty documents and comments', () => {
    const { resources, errors } = load(`# header\n---\n${POD('a')}---\n---\n# only a comment\n---\n${POD('b')}...\n`);
    assert.deepEqual(errors, []);
    assert.deepEqual(names(resources), ['a', 'b']);
  });

  it('skips documents without apiVersion or kind (values files, kustomization.yaml)', () => {
    const { resources, errors } = load(`replicaCount: 2\nimage:\n  tag: x\n---\nresources:\n- a.yaml\n---\n${POD('a')}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(names(resources), ['a']);
  });

  it('expands kind: List and any *List with items, keeping the item path', () => {
    const list = `apiVersion: v1\nkind: PodList\nitems:\n- ${POD('a').trimEnd().replace(/\n/g, '\n  ')}\n- ${POD('b').trimEnd().replace(/\n/g, '\n  ')}\n`;
    const { resources, errors } = load(list);
    assert.deepEqual(errors, []);
    assert.deepEqual(names(resources), ['a', 'b']);
    assert.deepEqual(resources[1]?.prefix, ['items', 1]);
  });

  it('flattens a List inside a List as kubectl does, keeping the item path', () => {
    const inner = `apiVersion: v1\n  kind: PodList\n  items:\n  - ${POD('b').replace(/^apiVersion: v1\nkind: Pod\n/, '').trimEnd().replace(/\n/g, '\n    ')}`;
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${POD('a').trimEnd().replace(/\n/g, '\n  ')}\n- ${inner}\n`;
    const { resources, errors } = load(list);
    assert.deepEqual(errors, []);
    assert.deepEqual(names(resources), ['a', 'b']);
    assert.deepEqual(resources[1]?.prefix, ['items', 1, 'items', 0]);
    assert.equal(resources[1]?.object.kind, 'Pod');
    assert.equal(resources[1]?.document.position([...(resources[1]?.prefix ?? []), 'metadata', 'name']).line, 16);
  });

  it('reads JSON objects, JSON lists and JSON from a .json file', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: {} }] });
    assert.deepEqual(names(load(json, true).resources), ['j']);
    assert.deepEqual(names(load(`\n  ${json}`).resources), ['j']);
  });

  it("reports broken JSON with JSON's reason at JSON's place, and never the text V8 quotes", () => {
    const cases: { text: string; line: number; column: number; message: string }[] = [
      { text: '{\n  "apiVersion": "v1",\n  "kind": "Secret",\n  "data": {"token": "c2VjcmV0"}}\n}\n', line: 5, column: 1, message: 'JSON syntax error: Unexpected non-whitespace character after JSON' },
      { text: '{\n  "apiVersion": "v1",\n  "kind": "Pod"\n  "metadata": {}\n}\n', line: 4, column: 3, message: "JSON syntax error: Expected ',' or '}' after property value" },
      { text: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "a"\n', line: 4, column: 27, message: "JSON syntax error: Expected ',' or '}' after property value" },
      { text: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": ', line: 4, column: 23, message: 'JSON syntax error: Unexpected end of input' },
    ];
    for (const { text, line, column, message } of cases) {
      for (const preferJson of [true, false]) {
        const { resources, errors } = load(text, preferJson);
        assert.deepEqual(resources, []);
        assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [[line, column, message]], text);
      }
    }
    // V8 quotes the input in "Unexpected token" messages (a token could be in it); those name no place, so YAML's
    // reason stands, and it quotes nothing. A trailing comma is fine in YAML's flow mappings: the object is read.
    const { errors } = load('{"apiVersion": "v1", "kind": "Secret", "data": {"token": tru]}}', true);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /^YAML syntax error/);
    assert.doesNotMatch(errors[0]?.message ?? '', /token/);
    assert.deepEqual(names(load('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "comma"},}', true).resources), ['comma']);
  });

  it('still reads as YAML a file that looks like JSON but is YAML (a flow mapping)', () => {
    const { resources, errors } = load('{apiVersion: v1, kind: Pod, metadata: {name: flow}}\n', true);
    assert.deepEqual(errors, []);
    assert.deepEqual(names(resources), ['flow']);
  });

  it('reports a YAML syntax error with its line and still reads the other documents', () => {
    const { resources, errors } = load(`${POD('a')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n---\n${POD('c')}`);
    assert.deepEqual(names(resources), ['a', 'c']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.file, 'in.yaml');
    assert.ok((errors[0]?.line ?? 0) >= 13 && (errors[0]?.line ?? 0) <= 14, `line ${errors[0]?.line}`);
    assert.match(errors[0]?.message ?? '', /YAML syntax error/);
  });

  it('reports a document that is not a mapping', () => {
    const { resources, errors } = load(`- a\n- b\n---\njust a string\n---\n${POD('a')}`);
    assert.deepEqual(names(resources), ['a']);
    assert.deepEqual(errors.map((e) => [e.line, e.message]), [
      [1, 'document is a sequence, not a Kubernetes object (a mapping)'],
      [4, 'document is a string, not a Kubernetes object (a mapping)'],
    ]);
  });

  it('reports invalid UTF-8 on its line and scans the valid documents', () => {
    const bytes = Buffer.concat([Buffer.from(`${POD('a')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: `), Buffer.from([0xff, 0xfe]), Buffer.from(`\n---\n${POD('c')}`)]);
    const { resources, errors } = load(bytes);
    assert.deepEqual(names(resources), ['a', 'c']);
    assert.deepEqual(errors.map((e) => [e.line, e.message]), [[13, 'invalid UTF-8: the document was not scanned']]);
  });

  it('reads a byte order mark at the start of a later document as nothing, as kubectl does (files joined after ---)', () => {
    const { resources, errors } = load(`${POD('a')}---\n\uFEFF${POD('b')}---\n# c\n\uFEFF${POD('c')}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(names(resources), ['a', 'b', 'c']);
  });

  it('places a syntax error after a byte order mark in the text as written', () => {
    const { errors } = load(`${POD('a')}---\n\uFEFFapiVersion: v1\nkind: Pod\nmetadata: {name: x, name: y}\n`);
    assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [[12, 21, 'YAML syntax error: duplicated mapping key']]);
  });

  it('reads UTF-16 with a byte order mark as kubectl does, at the same lines; invalid UTF-16 is an error', () => {
    const text = `${POD('a')}---\n${POD('b')}`;
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])]) {
      const { resources, errors } = load(bytes);
      assert.deepEqual(errors, []);
      assert.deepEqual(names(resources), ['a', 'b']);
      assert.equal(resources[1]?.document.position(['metadata', 'name']).line, 13);
    }
    const unpaired = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD('a'), 'utf16le'), Buffer.from([0x00, 0xd8])]);
    assert.deepEqual(load(unpaired).errors.map((e) => e.message), ['invalid UTF-16LE (it starts with a byte order mark): nothing in it was scanned']);
  });

  it('places the errors of 150,000 list documents (3 MB without a colon) in well under the quadratic time of before', () => {
    // Each key lookup searched on for a colon past its line, to the end of the file: 17 s here before, 0.5 s now.
    const started = performance.now();
    const { errors } = load('---\n- a\n- b\n- c\n- d\n'.repeat(150_000));
    assert.equal(errors.length, 150_000);
    assert.deepEqual(errors[149_999], { file: 'in.yaml', line: 749_997, column: 1, message: 'document is a sequence, not a Kubernetes object (a mapping)' });
    assert.ok(performance.now() - started < 5_000, `${Math.round(performance.now() - started)} ms`);
  });

  it('refuses a "billion laughs" alias bomb without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${levels.join('\n')}\n---\n${POD('after')}`;
    const { resources, errors } = load(bomb);
    assert.deepEqual(names(resources), ['after']);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /alias bomb/);
    assert.equal(errors[0]?.line, 1);
  });

  it('refuses a recursive alias', () => {
    const { resources, errors } = load(`apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  self: *m\n---\n${POD('after')}`);
    assert.deepEqual(names(resources), ['after']);
    assert.equal(errors.length, 1);
  });

  it('refuses deeply nested YAML and JSON documents', () => {
    const deepYaml = `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n${POD('after')}`;
    const yamlResult = load(deepYaml);
    assert.deepEqual(names(yamlResult.resources), ['after']);
    assert.match(yamlResult.errors[0]?.message ?? '', /nested deeper than 256 levels/);
    const deepJson = `{"apiVersion":"v1","kind":"ConfigMap","data":${'['.repeat(100000)}${']'.repeat(100000)}}`;
    const jsonResult = load(deepJson, true);
    assert.equal(jsonResult.resources.length, 0);
    assert.equal(jsonResult.errors.length, 1);
  });

  it('reads YAML 1.1 booleans the way Kubernetes does', () => {
    const findings = scanText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: yes\n  containers: []\n', { framework: 'pss-baseline' }).findings;
    assert.deepEqual(findings.map((f) => f.controlId), ['POD-NO-HOST-NAMESPACES']);
  });

  it('keeps the Helm template name of each document', () => {
    const helm = `---\n# Source: shop/templates/web.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostPID: true\n  containers: []\n`;
    const [finding] = scanText(helm, { framework: 'pss-baseline' }).findings;
    assert.equal(finding?.location.templateSource, 'shop/templates/web.yaml');
    assert.equal(finding?.location.line, 8);
    assert.equal(finding?.location.column, 3);
  });

  it('never throws and always names the file and a line for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const { errors } = load(text);
        for (const error of errors) {
          assert.equal(error.file, 'in.yaml');
          assert.ok(error.line === null || error.line >= 1);
          assert.ok(error.message.length > 0);
        }
      }),
      { numRuns: 2000, seed: 20261128 },
    );
  });

  it('never throws on YAML-like text built from manifest fragments', () => {
    const fragment = fc.constantFrom(
      'apiVersion: v1\n', 'kind: Pod\n', 'kind: List\n', 'items:\n', '- ', 'metadata:\n', '  name: x\n', 'spec:\n',
      '  containers:\n', '  - name: c\n', '    securityContext: {privileged: true}\n', '---\n', '...\n', '&a ', '*a\n',
      '<<: *a\n', '"', "'", '[', ']', '{', '}', ':', '\t', '  ', '\n', '# c\n', '|\n', '>-\n', '!!binary ', '%YAML 1.2\n',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), fc.constantFrom('all', 'pss-restricted') as fc.Arbitrary<'all' | 'pss-restricted'>, (parts, framework) => {
        const result = scanText(parts.join(''), { framework });
        for (const finding of result.findings) assert.ok(finding.location.line >= 1);
        for (const error of result.errors) assert.ok(error.line === null || error.line >= 1);
      }),
      { numRuns: 2000, seed: 20261128 },
    );
  });
});

describe('document markers and large flow documents (regressions)', () => {
  it('keeps a tag or flow content on the --- line with its document', () => {
    const text = `--- !!map\n${POD('tagged')}---\n--- {apiVersion: v1, kind: Pod, metadata: {name: inline}, spec: {containers: []}}\n`;
    const { resources, errors } = load(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(names(resources), ['tagged', 'inline']);
  });

  it('locates fields in a large single-line JSON List (positions from one index, not a walk per field)', () => {
    const items = Array.from({ length: 3000 }, (_, index) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${index}` }, spec: { hostPID: true, containers: [{ name: 'c', image: 'x' }] },
    }));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    const findings = scanText(text, { framework: 'pss-baseline' }).findings;
    assert.equal(findings.length, 3000);
    const last = findings.at(-1);
    assert.equal(last?.location.column, text.lastIndexOf('"hostPID"') + 1);
  });
});

describe('document markers only at line starts', () => {
  it('does not split at --- after U+2028 inside a quoted string', () => {
    const { resources, errors } = load(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "x\u2028--- y"\n`);
    assert.deepEqual(errors, []);
    assert.equal(resources.length, 1);
  });
});
