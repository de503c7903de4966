/**
 * The locator against an independent oracle: the `yaml` library's node ranges. Hand-written cases cover each
 * YAML style; a property test covers random objects in random styles; the real-world corpus covers real files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { DocumentLocator } from '../../src/loader/locate.js';
import { splitDocuments } from '../../src/loader/split-documents.js';
import { needsShared, sharedPath } from '../support/paths.js';

type Path = (string | number)[];

/** Offset the oracle gives for a path: the key of a mapping entry, the start of a sequence item. */
function oracleOffset(root: YamlNode | null, path: Path): number | undefined {
  let node: unknown = root;
  let offset: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair || !isScalar(pair.key)) return undefined;
      offset = pair.key.range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) return undefined;
      offset = item.range?.[0];
      node = item;
    } else return undefined;
  }
  return offset;
}

function leafPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((item, index) => leafPaths(item, [...prefix, index], out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) leafPaths(child, [...prefix, key], out);
  }
  out.push(prefix);
  return out;
}

/** Every `step`-th path, so large CRDs stay affordable while every document still gets checked. */
function sample<T>(items: T[], most: number): T[] {
  if (items.length <= most) return items;
  const step = items.length / most;
  return Array.from({ length: most }, (_, index) => items[Math.floor(index * step)] as T);
}

function assertAgrees(text: string, mostPaths = Infinity): void {
  const spans = splitDocuments(text);
  for (const document of parseAllDocuments(text, { uniqueKeys: false }) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    const value: unknown = document.toJS();
    const contents = document.contents as YamlNode | null;
    if (value === null || value === undefined || !contents?.range) continue;
    const start = contents.range[0];
    const span = spans.find((candidate) => candidate.start <= start && start < candidate.end);
    assert.ok(span, `a document starts at offset ${start}`);
    const locator = new DocumentLocator(text, span.start, span.end);
    for (const path of sample(leafPaths(value), mostPaths)) {
      if (path.length === 0) continue;
      const expected = oracleOffset(contents, path);
      if (expected === undefined) continue;
      const located = locator.locate(path);
      assert.equal(located.depth, path.length, `path ${JSON.stringify(path)} found completely in:\n${text.slice(0, 2000)}`);
      assert.equal(located.offset, expected, `offset of ${JSON.stringify(path)} in:\n${text.slice(0, 2000)}`);
    }
  }
}

describe('DocumentLocator', () => {
  const cases: Record<string, string> = {
    'indentless sequences (kubectl style)': 'spec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    securityContext:\n      privileged: true\n  volumes:\n  - name: v\n',
    'indented sequences': 'spec:\n  containers:\n    - name: a\n      ports:\n        - containerPort: 80\n          hostPort: 80\n',
    'quoted keys and values': '"apiVersion": v1\n\'kind\': "Pod"\nmetadata:\n  "name": \'x: y\'\n  annotations:\n    "a.b/c": "d"\n',
    'block scalars with key lookalikes': 'data:\n  script: |\n    name: fake\n    - item\n  other: >-\n    spec: no\n  real: yes\n',
    'comments everywhere': '# top\nspec: # trailing\n  # inside\n  hostPID: true # why\n  list:\n  # before item\n  - a # after\n',
    'flow collections inline': 'spec:\n  containers: [{name: a, securityContext: {privileged: true}}, {name: b}]\n  args: ["x", "y"]\n',
    'multi-line flow collection': 'spec:\n  drop: [\n    ALL,\n    NET_RAW\n  ]\n  after: 1\n',
    'nested sequences': 'matrix:\n- - a\n  - b\n- - c\n',
    'anchors and tags': 'base: &b\n  x: 1\nuse: !!map\n  y: 2\nitems:\n- &i name: z\n',
    'JSON document': '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "spec": {"containers": [{"name": "a", "ports": [{"hostPort": 1}]}]}\n}\n',
    'multi-line quoted scalar': 'a: "first\n  second: not a key"\nb: 2\n',
    'multiple documents': '---\na: 1\n---\n# Source: chart/templates/x.yaml\nb:\n  c: 2\n...\n---\nd: [1, 2]\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`agrees with the yaml library: ${name}`, () => assertAgrees(text));
  }

  it('returns the deepest existing ancestor for a missing field', () => {
    const text = 'spec:\n  containers:\n  - name: a\n    image: x\n';
    const located = new DocumentLocator(text, 0, text.length).locate(['spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
    assert.equal(located.depth, 3);
    assert.equal(located.offset, text.indexOf('name: a'));
  });

  it('agrees with the yaml library on random objects in random styles', () => {
    const key = fc.constantFrom('a', 'b', 'spec', 'name', 'x-y', 'with space', 'a.b/c', '123', 'true');
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      seq: fc.array(tie('node'), { maxLength: 4 }),
    })).map;
    fc.assert(
      fc.property(value, fc.integer({ min: -1, max: 3 }), fc.constantFrom(2, 4), fc.boolean(), (object, flowLevel, indent, noArrayIndent) => {
        const text = jsYaml.dump(object, { flowLevel, indent, noArrayIndent, lineWidth: -1 });
        // js-yaml occasionally dumps text that reads back as something else (e.g. ".:{" in flow style); only
        // texts that both parsers read back as the object are fair tests of the locator.
        const oracle = parseAllDocuments(text) as unknown as { toJS(): unknown; errors: unknown[] }[];
        let readBack: unknown;
        try {
          readBack = jsYaml.load(text);
        } catch {
          readBack = Symbol('unreadable'); // js-yaml cannot read some of its own flow-style output
        }
        fc.pre(isDeepStrictEqual(readBack, object) && oracle[0]?.errors.length === 0 && isDeepStrictEqual(oracle[0]?.toJS(), object));
        assertAgrees(text);
      }),
      { numRuns: 400, seed: 20261128 },
    );
  });

  it('agrees with the yaml library on every field of the real-world corpus', { skip: needsShared }, () => {
    const root = sharedPath('corpus', 'real-world');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ya?ml|json)$/.test(name)) files.push(path);
      }
    };
    walk(root);
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const documents = parseAllDocuments(text, { uniqueKeys: false });
      if (!Array.isArray(documents) || documents.some((d) => d.errors.length > 0)) continue;
      assertAgrees(text, 100);
      checked++;
    }
    assert.ok(checked > 1000, `checked ${checked} files`);
  });
});
