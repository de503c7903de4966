/**
 * The agent's batch pacing (src/serve/batch-pacer.ts): a change waits the minimum while batches are quick; while
 * changes keep coming and a batch took longer, the next waits as long as it took; after a quiet spell, the minimum
 * again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchPacer } from '../../src/serve/batch-pacer.js';

/** A pacer on a clock the test moves; `settle(ms)` is a batch that takes that long. */
function paced(minMs: number) {
  let clock = 1_000;
  const pacer = new BatchPacer(minMs, () => clock);
  return {
    pacer,
    settle: (ms: number) =>
      pacer.time(async () => {
        clock += ms;
      }),
    idle: (ms: number) => {
      clock += ms;
    },
  };
}

describe('batch pacing', () => {
  const cases: { name: string; minMs: number; batches: number[]; quietMs: number; expected: number }[] = [
    { name: 'before any batch: the minimum', minMs: 50, batches: [], quietMs: 0, expected: 50 },
    { name: 'after a quick batch: the minimum', minMs: 50, batches: [12], quietMs: 0, expected: 50 },
    { name: 'right after a slow batch: as long as it took', minMs: 50, batches: [180], quietMs: 0, expected: 180 },
    { name: 'the last batch counts, not the slowest', minMs: 50, batches: [400, 90], quietMs: 0, expected: 90 },
    { name: 'changes that came while it settled (no quiet): as long as it took', minMs: 50, batches: [180], quietMs: 179, expected: 180 },
    { name: 'after a quiet spell longer than the batch took: the minimum', minMs: 50, batches: [180], quietMs: 181, expected: 50 },
    { name: 'a minimum of 0 (no batching) still paces a slow stream', minMs: 0, batches: [70], quietMs: 0, expected: 70 },
  ];
  for (const { name, minMs, batches, quietMs, expected } of cases) {
    it(name, async () => {
      const { pacer, settle, idle } = paced(minMs);
      for (const ms of batches) await settle(ms);
      idle(quietMs);
      assert.equal(pacer.waitMs(), expected);
    });
  }

  it('a batch that fails is timed too, and its failure goes on', async () => {
    let clock = 0;
    const pacer = new BatchPacer(50, () => clock);
    await assert.rejects(
      pacer.time(async () => {
        clock += 300;
        throw new Error('sink down');
      }),
      /sink down/,
    );
    assert.equal(pacer.waitMs(), 300);
  });
});
