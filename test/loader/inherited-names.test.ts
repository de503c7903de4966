/**
 * Kinds, resources and keys come from input, and `constructor`, `toString`, `__proto__` are names like any other:
 * lookups in our tables must find nothing for them, never a function of Object.prototype.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { judgedThroughOwner } from '../../src/cluster/owned.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

describe('names Object.prototype also has', () => {
  it('are no built-in kind with a pod template, and own no pods', () => {
    const paths = new TemplatePaths();
    for (const name of NAMES) {
      assert.equal(paths.pathFor('v1', name), undefined, name);
      assert.equal(judgedThroughOwner({ kind: name, metadata: { ownerReferences: [{ kind: 'ReplicaSet', name: 'x', controller: true }] } }, new Set(['ReplicaSet'])), undefined);
    }
  });

  it('scan and netpol reach read manifests of such kinds without an internal error', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeharden-inherited-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'odd.yaml');
    writeFileSync(file, NAMES.map((kind) => `apiVersion: v1\nkind: ${kind}\nmetadata: {name: x, namespace: ns}\nspec: {containers: [{name: c, image: x}]}\n`).join('---\n'));
    for (const args of [['scan', file, '--format', 'json'], ['netpol', 'reach', file, '--format', 'json']]) {
      const result = spawnSync(CLI, args, { cwd: PROJECT_ROOT, encoding: 'utf8' });
      assert.doesNotMatch(result.stderr, /internal error|TypeError/, args.join(' '));
      assert.ok(result.status === 0 || result.status === 1, `${args.join(' ')}: exit ${result.status}`);
      JSON.parse(result.stdout);
    }
  });
});
