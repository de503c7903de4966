import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdit, EditError, type EditOp } from '../../src/fix/yaml-edit.js';

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

  it('refuses what it cannot place instead of guessing', () => {
    assert.throws(() => applyEdit('a: 1\n', 0, { op: 'set', path: ['a', 'b'], value: 1 }), EditError);
    assert.throws(() => applyEdit('a:\n', 0, { op: 'set', path: ['a', 'b'], value: 1 }), EditError);
    assert.throws(() => applyEdit('a: [1\n', 0, { op: 'set', path: ['b'], value: 1 }), EditError);
  });
});
