/** The CLI keeps V8 from letting its heap grow far past what is live while garbage comes fast. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../src/cli/heap-growth.js';
import { PROJECT_ROOT } from '../support/paths.js';

const MODULE = pathToFileURL(resolve(PROJECT_ROOT, 'dist', 'src', 'cli', 'heap-growth.js')).href;

/** Largest heap of a process that keeps ~40 MB live and churns old-generation garbage, as parsing a List does. */
function peakHeapMb(limited: boolean): number {
  const script = `
    import { getHeapStatistics } from 'node:v8';
    import { limitHeapGrowth } from ${JSON.stringify(MODULE)};
    if (${limited}) limitHeapGrowth([]);
    const live = Array.from({ length: 400_000 }, (_, i) => ({ i, s: 'kept-' + i }));
    let window = [];
    let peak = 0;
    for (let round = 0; round < 40; round++) {
      // Lives long enough to be promoted, then dies: garbage for the full collections to find.
      window = Array.from({ length: 200_000 }, (_, i) => ({ round, i, s: 'garbage-' + round + '-' + i }));
      peak = Math.max(peak, getHeapStatistics().total_heap_size);
    }
    console.log(Math.round(peak / 1048576), live.length + window.length);
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(result.status, 0, result.stderr);
  return Number(result.stdout.split(' ')[0]);
}

describe('heap growth', () => {
  it('keeps the heap of a garbage-heavy process well below what V8 grows to by itself', () => {
    const unlimited = peakHeapMb(false);
    const limited = peakHeapMb(true);
    assert.ok(limited < unlimited * 0.7, `limited ${limited} MB, unlimited ${unlimited} MB`);
  });

  const cases: { name: string; execArgv: string[]; flag: string | undefined }[] = [
    { name: 'nothing set: ours', execArgv: [], flag: `--heap-growing-percent=${HEAP_GROWING_PERCENT}` },
    { name: 'other node flags: ours', execArgv: ['--max-old-space-size=4096', '--enable-source-maps'], flag: `--heap-growing-percent=${HEAP_GROWING_PERCENT}` },
    { name: 'node argument: theirs', execArgv: ['--heap-growing-percent=50'], flag: undefined },
    { name: 'node argument in two words: theirs', execArgv: ['--heap-growing-percent', '50'], flag: undefined },
  ];
  for (const { name, execArgv, flag } of cases) {
    it(`growth flag when ${name}`, () => assert.equal(heapGrowthFlag(execArgv), flag));
  }
});
