/**
 * The history sink keeps the number of open (not accepted) findings from each batch's added and removed ones,
 * instead of counting every current finding each batch: the count written with each score point must equal a
 * count of the current findings all the same.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Scores } from '../../src/engine/scores.js';
import type { Settled } from '../../src/serve/agent.js';
import { HistorySink } from '../../src/serve/history-sink.js';
import { openHistory } from '../../src/serve/store/open-history.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { tempDir } from '../support/temp-dir.js';

function finding(name: string, accepted: boolean): Finding {
  return {
    controlId: 'POD-PRIVILEGED',
    title: 'privileged',
    severity: 'high',
    pss: null,
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name },
    location: { file: `cluster:/apis/apps/v1/namespaces/shop/deployments/${name}`, line: 0, column: 0 },
    field: 'spec',
    message: `${name} is privileged`,
    remediation: 'do not',
    ...(accepted ? { suppression: { kind: 'annotation', reason: 'accepted' } } : {}),
  } as Finding;
}

describe('serve history sink', () => {
  it('writes the open findings of each batch, kept from what the batch added and removed', async (t) => {
    const history = await openHistory(`sqlite:${join(tempDir('history-sink', t), 'history.db')}`);
    try {
      const sink = new HistorySink(history, 'one');
      const current = new Map<string, Finding>();
      const batches: { add: [string, boolean][]; remove: string[] }[] = [
        { add: [['a', false], ['b', true], ['c', false]], remove: [] },
        { add: [['d', false], ['e', true], ['f', false]], remove: ['a'] },
        { add: [], remove: ['b', 'e'] },
        { add: [['b', false]], remove: ['c', 'd'] },
      ];
      const expected: number[] = [];
      for (const [index, batch] of batches.entries()) {
        const removed: [string, Finding][] = batch.remove.map((key) => [key, current.get(key)!]);
        for (const key of batch.remove) current.delete(key);
        for (const [key, accepted] of batch.add) current.set(key, finding(key, accepted));
        // Each batch moves the score, so each writes a point.
        const scores = { overall: index, weighted: index, controls: [] } as unknown as Scores;
        const event: Settled = { at: new Date(1000 * (index + 1)), findings: new Map(current), added: batch.add.map(([key]) => key), changed: [], removed, scores, stats: { objects: 0, groups: [], ms: 0 }, lagMs: 0, initial: index === 0 };
        await sink.settled(event);
        expected.push([...current.values()].filter((item) => !item.suppression).length);
      }
      assert.deepEqual(expected, [2, 3, 3, 2]);
      assert.deepEqual((await history.scores('one')).map((row) => row.openFindings), expected);
    } finally {
      await history.close();
    }
  });
});
