/**
 * np-guard netpol-analyzer's connectivity diffs (../shared/corpus/netpol/netpol-analyzer/test_outputs/diff): for
 * every diff whose two cases use only what the engine models (core NetworkPolicy: the same rule as the connectivity
 * goldens), `netpol diff`'s rows (added, removed, changed; workload pairs and address ranges outside the cluster)
 * must equal the analyzer's exactly.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConnectionSet } from '../../src/netpol/connections.js';
import { diffConnectivity } from '../../src/netpol/diff.js';
import { Reachability } from '../../src/netpol/engine.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { kindsIn, loadCase } from './analyzer-support.js';

/** Rows (changed pairs and address ranges) in the claimed diffs' golden files, all compared one by one below. */
const ROWS = 5005;
const ROOT = sharedPath('corpus', 'netpol', 'netpol-analyzer');
const UNMODELLED = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'UserDefinedNetwork', 'ClusterUserDefinedNetwork', 'NetworkAttachmentDefinition', 'MultiNetworkPolicy', 'VirtualMachine', 'VirtualMachineInstance', 'Ingress', 'Route'];

/** `diff_between_<after>_and_<before>.txt` → the two case folders, found by trying each `_and_`. */
function diffCases(): { file: string; before: string; after: string }[] {
  if (needsShared) return [];
  const cases: { file: string; before: string; after: string }[] = [];
  for (const file of readdirSync(`${ROOT}/test_outputs/diff`).sort()) {
    const match = /^diff_between_(.+)\.txt$/.exec(file);
    if (!match) continue;
    const names = match[1] as string;
    for (let at = names.indexOf('_and_'); at !== -1; at = names.indexOf('_and_', at + 1)) {
      const after = names.slice(0, at);
      const before = names.slice(at + '_and_'.length);
      if (existsSync(`${ROOT}/tests/${after}`) && existsSync(`${ROOT}/tests/${before}`)) cases.push({ file, before, after });
    }
  }
  return cases;
}

function canonical(kind: string, source: string, destination: string, before: ConnectionSet, after: ConnectionSet): string {
  return `${kind} ${source} => ${destination} : ${before.key()} -> ${after.key()}`;
}

function golden(text: string): string[] {
  const rows: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^diff-type: (\w+), source: (.+?), destination: (.+?), ref1: (.+?), ref2: (.+?)(?:, workloads-diff-info: .*)?$/.exec(line.trim());
    if (!match) continue;
    const [, kind, source, destination, before, after] = match as unknown as string[];
    const strip = (name: string) => name.replace(/\[External\]$/, '');
    rows.push(canonical(kind as string, strip(source as string), strip(destination as string), ConnectionSet.parse(before as string), ConnectionSet.parse(after as string)));
  }
  return rows.sort();
}

describe('netpol-analyzer connectivity diffs', { skip: needsShared }, () => {
  const cases = diffCases();
  const claimed = cases.filter(({ before, after }) => [before, after].every((name) => !UNMODELLED.some((kind) => kindsIn(`${ROOT}/tests/${name}`).has(kind))));

  it('claims every diff whose two cases use only core NetworkPolicy', () => {
    assert.equal(cases.length, 46, 'diffs whose two input folders are in the corpus');
    assert.equal(claimed.length, 24, 'claimed diffs');
    const rows = claimed.reduce((sum, { file }) => sum + golden(readFileSync(`${ROOT}/test_outputs/diff/${file}`, 'utf8')).length, 0);
    assert.equal(rows, ROWS, 'rows of the claimed diffs');
  });

  for (const { file, before, after } of claimed) {
    it(file, () => {
      const options = { hostNetwork: 'as-pods', ipBlockMatchesPods: false } as const;
      const old = loadCase(`${ROOT}/tests/${before}`);
      const now = loadCase(`${ROOT}/tests/${after}`);
      assert.deepEqual([...old.errors, ...now.errors], []);
      const ours = diffConnectivity(new Reachability(old.model, options), new Reachability(now.model, options))
        .map((change) => canonical(change.kind, change.source, change.destination, change.before, change.after))
        .sort();
      assert.deepEqual(ours, golden(readFileSync(`${ROOT}/test_outputs/diff/${file}`, 'utf8')));
    });
  }
});
