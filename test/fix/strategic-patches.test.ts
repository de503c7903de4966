/** The patches of `fix --patches`: only changed fields, keyed list items by their merge key, and no patch without a name. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { strategicPatches } from '../../src/fix/strategic-patches.js';

const file = (original: string, fixed: string) => ({ name: 'in.yaml', original, fixed, splices: [] });
const pod = (name: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  ${name}\nspec:\n${spec}`;

const cases: { name: string; original: string; fixed: string; patches: Record<string, unknown>; unpatchable?: RegExp }[] = [
  {
    name: 'an unchanged object has no patch',
    original: pod('name: a', '  containers: [{name: c, image: i}]\n'),
    fixed: pod('name: a', '  containers: [{name: c, image: i}]\n'),
    patches: {},
  },
  {
    name: 'a container is named by its merge key and carries only its change',
    original: pod('name: a', '  containers: [{name: c, image: i}, {name: d, image: j}]\n'),
    fixed: pod('name: a', '  containers: [{name: c, image: i}, {name: d, image: j, securityContext: {privileged: false}}]\n'),
    patches: { 'pod-a.yaml': { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'd', securityContext: { privileged: false } }] } } },
  },
  {
    name: 'a list without a merge key is replaced whole; a removed key becomes null',
    original: pod('{name: a, namespace: n}', '  containers: [{name: c, image: i, securityContext: {capabilities: {drop: [NET_RAW]}, runAsUser: 0}}]\n'),
    fixed: pod('{name: a, namespace: n}', '  containers: [{name: c, image: i, securityContext: {capabilities: {drop: [NET_RAW, ALL]}}}]\n'),
    patches: {
      'pod-n-a.yaml': {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'a', namespace: 'n' },
        spec: { containers: [{ name: 'c', securityContext: { capabilities: { drop: ['NET_RAW', 'ALL'] }, runAsUser: null } }] },
      },
    },
  },
  {
    name: 'an object with only generateName cannot be patched, and says so',
    original: pod('generateName: a-', '  containers: [{name: c, image: i}]\n'),
    fixed: pod('generateName: a-', '  securityContext: {runAsNonRoot: true}\n  containers: [{name: c, image: i}]\n'),
    patches: {},
    unpatchable: /in\.yaml document 1: Pod has no metadata\.name/,
  },
  {
    name: 'two objects of one kind and name (in one namespace) get two files',
    original: `${pod('name: a', '  containers: [{name: c, image: i}]\n')}---\n${pod('name: a', '  containers: [{name: c, image: i}]\n')}`,
    fixed: `${pod('name: a', '  hostNetwork: false\n  containers: [{name: c, image: i}]\n')}---\n${pod('name: a', '  hostPID: false\n  containers: [{name: c, image: i}]\n')}`,
    patches: {
      'pod-a.yaml': { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { hostNetwork: false } },
      'pod-a-2.yaml': { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { hostPID: false } },
    },
  },
];

describe('strategicPatches', () => {
  it('quotes strings that YAML 1.1 (kustomize, kubectl) would read as booleans', () => {
    const original = pod('name: "yes"', '  containers: [{name: "on", image: i}]\n');
    const fixed = pod('name: "yes"', '  containers: [{name: "on", image: i, securityContext: {runAsNonRoot: true}}]\n');
    const [patch] = strategicPatches([file(original, fixed)]).patches;
    assert.match(patch?.text ?? '', /name: "yes"\n[^]*- name: "on"\n/);
  });

  for (const testCase of cases) {
    it(testCase.name, () => {
      const { patches, unpatchable } = strategicPatches([file(testCase.original, testCase.fixed)]);
      assert.deepEqual(Object.fromEntries(patches.map((patch) => [patch.file, parse(patch.text) as unknown])), testCase.patches);
      if (testCase.unpatchable) assert.match(unpatchable.join('\n'), testCase.unpatchable);
      else assert.deepEqual(unpatchable, []);
    });
  }
});
