/** The JSON patches of `fix --cluster`: RFC 6902 operations at RFC 6901 paths, and the kubectl command that applies them. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { jsonPatch, kubectlCommand, pointerToken, type JsonPatchOp } from '../../src/fix/cluster-patches.js';

const cases: { name: string; before: unknown; after: unknown; ops: JsonPatchOp[] }[] = [
  { name: 'nothing changed', before: { a: 1 }, after: { a: 1 }, ops: [] },
  { name: 'a new key is added whole, at its top-most new path', before: { spec: {} }, after: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } }, ops: [{ op: 'add', path: '/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } }] },
  { name: 'a changed scalar is replaced', before: { c: { runAsNonRoot: false } }, after: { c: { runAsNonRoot: true } }, ops: [{ op: 'replace', path: '/c/runAsNonRoot', value: true }] },
  { name: 'list items are reached by index, new ones appended with -', before: { containers: [{ name: 'a' }, { name: 'b', drop: ['X'] }] }, after: { containers: [{ name: 'a' }, { name: 'b', drop: ['X', 'ALL'] }] }, ops: [{ op: 'add', path: '/containers/1/drop/-', value: 'ALL' }] },
  { name: '/ and ~ in a key are escaped (RFC 6901)', before: { annotations: { x: '1' } }, after: { annotations: { x: '1', 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default', 'a~b': 'c' } }, ops: [{ op: 'add', path: '/annotations/seccomp.security.alpha.kubernetes.io~1pod', value: 'runtime/default' }, { op: 'add', path: '/annotations/a~0b', value: 'c' }] },
  { name: 'a mapping that lost a key is replaced whole', before: { m: { a: 1, b: 2 } }, after: { m: { a: 1 } }, ops: [{ op: 'replace', path: '/m', value: { a: 1 } }] },
  { name: 'a list that shrank is replaced whole', before: { l: [1, 2] }, after: { l: [1] }, ops: [{ op: 'replace', path: '/l', value: [1] }] },
];

describe('fix --cluster: JSON patches', () => {
  for (const { name, before, after, ops } of cases) {
    it(name, () => {
      const made: JsonPatchOp[] = [];
      jsonPatch(before, after, '', made);
      assert.deepEqual(made, ops);
    });
  }

  it('escapes ~ before / so that "~1" in a key stays itself', () => {
    assert.equal(pointerToken('a~1/b'), 'a~01~1b');
  });

  it('quotes the patch for a POSIX shell, single quotes included', () => {
    const ops: JsonPatchOp[] = [{ op: 'add', path: "/metadata/annotations/it's", value: "a 'quoted' $HOME `x`" }];
    const command = kubectlCommand({ resource: 'deployments.apps', namespace: 'shop', name: 'web', ops });
    assert.match(command, /^kubectl patch deployments\.apps 'web' -n 'shop' --type=json -p '/);
    // The shell hands kubectl the JSON unchanged.
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${command.slice('kubectl '.length)}`], { encoding: 'utf8' }).trimEnd().split('\n');
    assert.deepEqual(JSON.parse(words.at(-1) ?? ''), ops);
  });
});
