/** `kubeharden serve` asks V8 to favour memory: promoted garbage beside objects that stay no longer leaves the heap half empty. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { memoryModeFlag, SERVE_HEAP_GROWING_PERCENT, serveHeapGrowthFlag } from '../../src/serve/memory-mode.js';
import { PROJECT_ROOT } from '../support/paths.js';

const MEMORY_MODE = pathToFileURL(resolve(PROJECT_ROOT, 'dist', 'src', 'serve', 'memory-mode.js')).href;
const HEAP_GROWTH = pathToFileURL(resolve(PROJECT_ROOT, 'dist', 'src', 'cli', 'heap-growth.js')).href;

/**
 * Largest committed heap of a process shaped like the agent: objects that stay, a few of them replaced each batch,
 * and per batch an inventory that lives long enough to be promoted, then dies. The CLI's heap growth limit is on
 * in both runs, as `kubeharden serve` has it.
 */
function peakHeapMb(favoured: boolean): number {
  const script = `
    import { getHeapStatistics } from 'node:v8';
    import { limitHeapGrowth } from ${JSON.stringify(HEAP_GROWTH)};
    import { favourMemory } from ${JSON.stringify(MEMORY_MODE)};
    limitHeapGrowth([]);
    if (${favoured}) favourMemory([]);
    const live = Array.from({ length: 150_000 }, (_, i) => ({ i, s: 'kept-' + i }));
    let peak = 0;
    for (let round = 0; round < 30; round++) {
      const inventory = new Map();
      for (let i = 0; i < 50_000; i++) inventory.set('k' + i, { round, i, tags: ['a' + i, 'b' + round] });
      let sum = 0;
      for (const value of inventory.values()) sum += value.tags.length;
      for (let i = 0; i < 1500; i++) live[(round * 1500 + i) % live.length] = { i, s: 'kept-' + round + '-' + i, sum };
      if (round >= 10) peak = Math.max(peak, getHeapStatistics().total_heap_size);
    }
    console.log(Math.round(peak / 1048576), live.length);
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(result.status, 0, result.stderr);
  return Number(result.stdout.split(' ')[0]);
}

describe('serve memory mode', () => {
  it('keeps the committed heap of an agent-shaped process well below what V8 keeps by default', () => {
    const usual = peakHeapMb(false);
    const favoured = peakHeapMb(true);
    assert.ok(favoured < usual * 0.7, `favoured ${favoured} MB, usual ${usual} MB`);
  });

  const cases: { name: string; execArgv: string[]; flag: string | undefined }[] = [
    { name: 'nothing set: ours', execArgv: [], flag: '--optimize-for-size' },
    { name: 'other node flags: ours', execArgv: ['--max-old-space-size=4096', '--heap-growing-percent=50'], flag: '--optimize-for-size' },
    { name: 'the flag given to node: theirs', execArgv: ['--optimize-for-size'], flag: undefined },
    { name: 'the flag turned off: theirs', execArgv: ['--no-optimize-for-size'], flag: undefined },
    { name: 'the flag with underscores: theirs', execArgv: ['--optimize_for_size'], flag: undefined },
    { name: 'a longer flag that only starts alike: ours', execArgv: ['--optimize-for-sizes'], flag: '--optimize-for-size' },
  ];
  for (const { name, execArgv, flag } of cases) {
    it(`memory flag when ${name}`, () => assert.equal(memoryModeFlag(execArgv), flag));
  }

  const growth: { name: string; execArgv: string[]; flag: string | undefined }[] = [
    { name: 'nothing set: ours', execArgv: [], flag: `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}` },
    { name: 'the size flag given to node: still ours', execArgv: ['--optimize-for-size'], flag: `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}` },
    { name: 'a growing factor given to node: theirs', execArgv: ['--heap-growing-percent=50'], flag: undefined },
    { name: 'a growing factor with underscores: theirs', execArgv: ['--heap_growing_percent=50'], flag: undefined },
  ];
  for (const { name, execArgv, flag } of growth) {
    it(`heap growing flag when ${name}`, () => assert.equal(serveHeapGrowthFlag(execArgv), flag));
  }
});
