import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { applyEdit, EditBatch, EditError, parseDocuments, type AppliedSplice, type EditOp } from '../../src/fix/yaml-edit.js';

const cases: { name: string; text: string; edit: EditOp; expected: string; index?: number }[] = [
  {
    name: 'adds a key after the last one of a block mapping, at its indentation, keeping a trailing comment',
    text: 'spec:\n  a: 1 # one\n  # stays\nz: 2\n',
    edit: { op: 'set', path: ['spec', 'b'], value: true },
    expected: 'spec:\n  a: 1 # one\n  b: true\n  # stays\nz: 2\n',
  },
  {
    name: 'creates the missing parents in block style',
    text: 'c:\n- name: x\n  image: y\n',
    edit: { op: 'set', path: ['c', 0, 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' },
    expected: 'c:\n- name: x\n  image: y\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n',
  },
  {
    name: 'replaces a scalar in place, keeping its neighbours and comment',
    text: 'a: true # was\nb: "x"\n',
    edit: { op: 'set', path: ['a'], value: false },
    expected: 'a: false # was\nb: "x"\n',
  },
  {
    name: 'writes into a flow mapping in flow (JSON) style',
    text: '{"a": {"b": 1}}\n',
    edit: { op: 'set', path: ['a', 'c'], value: { d: 'x' } },
    expected: '{"a": {"b": 1, "c": {"d":"x"}}}\n',
  },
  {
    name: 'writes into an empty flow mapping',
    text: 'a: {}\n',
    edit: { op: 'set', path: ['a', 'k'], value: 1 },
    expected: 'a: {"k": 1}\n',
  },
  {
    name: 'appends to a block list at its dash column',
    text: 'drop:\n    - NET_RAW\nx: 1\n',
    edit: { op: 'append', path: ['drop'], value: 'ALL' },
    expected: 'drop:\n    - NET_RAW\n    - ALL\nx: 1\n',
  },
  {
    name: 'appends a mapping to a block list',
    text: 'v:\n- name: a\n',
    edit: { op: 'append', path: ['v'], value: { name: 't', emptyDir: {} } },
    expected: 'v:\n- name: a\n- name: t\n  emptyDir: {}\n',
  },
  {
    name: 'appends at the dash column when the last item itself starts with a dash (volumeMounts: [-1])',
    text: 'm:\n  - -1\nx: 1\n',
    edit: { op: 'append', path: ['m'], value: { name: 't' } },
    expected: 'm:\n  - -1\n  - name: t\nx: 1\n',
  },
  {
    name: 'appends at the dash column when the last item has an anchor with a dash in its name',
    text: 'm:\n  - &my-item {name: a}\n',
    edit: { op: 'append', path: ['m'], value: { name: 't' } },
    expected: 'm:\n  - &my-item {name: a}\n  - name: t\n',
  },
  {
    name: 'appends to a flow list',
    text: 'drop: [NET_RAW]\n',
    edit: { op: 'append', path: ['drop'], value: 'ALL' },
    expected: 'drop: [NET_RAW, "ALL"]\n',
  },
  {
    name: 'keeps CRLF line ends',
    text: 'a:\r\n  b: 1\r\n',
    edit: { op: 'set', path: ['a', 'c'], value: 2 },
    expected: 'a:\r\n  b: 1\r\n  c: 2\r\n',
  },
  {
    name: 'edits the second document only, keeping the markers',
    text: '---\na: 1\n---\nb: 1\n...\n',
    index: 1,
    edit: { op: 'set', path: ['c'], value: 'yes' },
    expected: '---\na: 1\n---\nb: 1\nc: "yes"\n...\n',
  },
  {
    name: 'adds a final line break before a key added at the end of a file without one',
    text: 'a: 1',
    edit: { op: 'set', path: ['b'], value: 2 },
    expected: 'a: 1\nb: 2\n',
  },
];

describe('yaml-edit splices', () => {
  for (const { name, text, edit, expected, index } of cases) {
    it(name, () => {
      assert.equal(applyEdit(text, index ?? 0, edit).text, expected);
    });
  }

  it('says why a text does not parse without quoting it (it may hold a secret)', () => {
    // Lines ended by CR alone: js-yaml (the scan) reads them, this parser does not.
    const text = 'apiVersion: v1\rkind: Pod\rmetadata: {name: p, annotations: {api-token: s3cr3t-t0ken}}\r';
    assert.throws(() => parseDocuments(text), (error: unknown) => error instanceof EditError && /^cannot parse: /.test(error.message) && !error.message.includes('s3cr3t') && !error.message.includes('apiVersion'));
  });

  it('refuses what it cannot place instead of guessing', () => {
    assert.throws(() => applyEdit('a: 1\n', 0, { op: 'set', path: ['a', 'b'], value: 1 }), EditError);
    assert.throws(() => applyEdit('a:\n', 0, { op: 'set', path: ['a', 'b'], value: 1 }), EditError);
    assert.throws(() => applyEdit('a: [1\n', 0, { op: 'set', path: ['b'], value: 1 }), EditError);
  });
});

/** Edits made one after the other, each on a fresh parse of the text the one before made: what a batch must equal. */
function oneByOne(text: string, edits: readonly EditOp[]): string {
  return edits.reduce((current, edit) => applyEdit(current, 0, edit).text, text);
}

function batched(text: string, edits: readonly EditOp[]): { text: string; splices: readonly AppliedSplice[] } {
  const document = parseDocuments(text)[0];
  assert.ok(document);
  const batch = new EditBatch(text, document);
  batch.add(edits);
  return batch.apply();
}

const batchCases: { name: string; text: string; edits: EditOp[]; expected: string }[] = [
  {
    name: 'two edits under one missing parent write it once',
    text: 'spec:\n  containers:\n  - name: a\n',
    edits: [
      { op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true },
      { op: 'set', path: ['spec', 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' },
    ],
    expected: 'spec:\n  containers:\n  - name: a\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile:\n      type: RuntimeDefault\n',
  },
  {
    name: 'a key added to a nested mapping comes before the key added to its parent at the same place',
    text: 'c:\n- name: a\n  securityContext:\n    runAsUser: 1\n',
    edits: [
      { op: 'append', path: ['c', 0, 'volumeMounts'], value: { name: 't', mountPath: '/tmp' } },
      { op: 'set', path: ['c', 0, 'securityContext', 'readOnlyRootFilesystem'], value: true },
    ],
    expected: 'c:\n- name: a\n  securityContext:\n    runAsUser: 1\n    readOnlyRootFilesystem: true\n  volumeMounts:\n    - name: t\n      mountPath: /tmp\n',
  },
  {
    name: 'two items appended to one list, and a line break added once at the end of a file without one',
    text: 'v:\n- name: a\nc:\n  x: 1',
    edits: [
      { op: 'append', path: ['v'], value: 'b' },
      { op: 'set', path: ['c', 'z'], value: 2 },
      { op: 'set', path: ['d'], value: 3 },
      { op: 'append', path: ['v'], value: 'c' },
    ],
    expected: 'v:\n- name: a\n- b\n- c\nc:\n  x: 1\n  z: 2\nd: 3\n',
  },
  {
    name: 'a list created by one edit takes the items another appends',
    text: 'a: 1\n',
    edits: [
      { op: 'append', path: ['drop'], value: 'ALL' },
      { op: 'append', path: ['drop'], value: 'NET_RAW' },
    ],
    expected: 'a: 1\ndrop:\n  - ALL\n  - NET_RAW\n',
  },
];

describe('yaml-edit batches (one parse for many edits)', () => {
  for (const { name, text, edits, expected } of batchCases) {
    it(name, () => {
      const result = batched(text, edits);
      assert.equal(result.text, expected);
      assert.equal(result.text, oneByOne(text, edits), 'the same text as the edits made one after the other');
      // Undoing the splices from the last gives the original back.
      let undone = result.text;
      for (const splice of [...result.splices].reverse()) undone = undone.slice(0, splice.start) + splice.removed + undone.slice(splice.start + splice.inserted.length);
      assert.equal(undone, text);
    });
  }

  it('adds none of a group that cannot be placed, and keeps the groups added before', () => {
    const text = 'a: 1\nb:\n  c: 2\n';
    const document = parseDocuments(text)[0];
    assert.ok(document);
    const batch = new EditBatch(text, document);
    batch.add([{ op: 'set', path: ['b', 'd'], value: 3 }]);
    assert.throws(() => batch.add([{ op: 'set', path: ['e'], value: 4 }, { op: 'set', path: ['a', 'x'], value: 5 }]), EditError);
    assert.equal(batch.apply().text, 'a: 1\nb:\n  c: 2\n  d: 3\n');
  });

  // Random block documents and random edits of the kinds fixes make: the batch writes exactly what the edits
  // made one after the other write (block style; in flow style a mapping created whole is written compactly).
  const keys = ['a', 'b', 'securityContext', 'runAsNonRoot'];
  const scalar = fc.oneof(fc.boolean(), fc.constantFrom('x', 'RuntimeDefault', 'on'), fc.integer({ min: 0, max: 9 }));
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ maxDepth: 3, depthIdentifier: 'doc' }, scalar, fc.dictionary(fc.constantFrom(...keys), tie('node'), { minKeys: 1, maxKeys: 3 }), fc.array(scalar, { minLength: 1, maxLength: 2 })),
  })).node;
  const document = fc.dictionary(fc.constantFrom(...keys), value, { minKeys: 1, maxKeys: 3 });
  const path = fc.array(fc.constantFrom(...keys), { minLength: 1, maxLength: 3 });
  const edit: fc.Arbitrary<EditOp> = fc.oneof(
    fc.record({ op: fc.constant('set' as const), path, value: scalar }),
    fc.record({ op: fc.constant('append' as const), path, value: scalar }),
  );
  it('equals the edits made one after the other, on random documents and edits', () => {
    fc.assert(
      fc.property(document, fc.array(edit, { minLength: 1, maxLength: 5 }), (object, edits) => {
        const text = stringify(object);
        let expected: string | undefined;
        try {
          expected = oneByOne(text, edits);
        } catch (error) {
          if (!(error instanceof EditError)) throw error;
        }
        let actual: string | undefined;
        try {
          actual = batched(text, edits).text;
        } catch (error) {
          if (!(error instanceof EditError)) throw error;
        }
        // The batch may refuse a group the one-by-one edits got through (a key set and then edited below), never the reverse.
        if (actual !== undefined) assert.equal(actual, expected);
      }),
      { numRuns: 400 },
    );
  });
});
