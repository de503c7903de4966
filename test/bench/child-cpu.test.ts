import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeMachineCpu, parseMachineCpu } from '../../bench/child-cpu.js';

describe('the machine CPU of the serve bench', () => {
  it('reads busy, idle and stolen time from /proc/stat in ms', () => {
    const stat = 'cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 50 2 25 400 10 1 1 5 0 0\n';
    assert.deepEqual(parseMachineCpu(stat), { busyMs: 1600, idleMs: 8200, stolenMs: 100 });
  });

  it('counts no stolen time where the kernel does not report it', () => {
    assert.deepEqual(parseMachineCpu('cpu 100 5 50 800 20 3 2\n'), { busyMs: 1600, idleMs: 8200, stolenMs: 0 });
  });

  it('answers nothing for a cpu line without its seven fields, so no share is NaN', () => {
    assert.equal(parseMachineCpu('cpu 100 5 50 800\n'), undefined);
    assert.equal(parseMachineCpu('intr 1 2 3 4 5 6 7 8\n'), undefined);
    assert.equal(describeMachineCpu(parseMachineCpu('cpu 100 5 50 800\n'), parseMachineCpu('cpu 200 5 50 900\n')), 'machine CPU unknown (no readable /proc/stat)');
  });

  it('gives each share of the time between two readings', () => {
    const before = parseMachineCpu('cpu 0 0 0 0 0 0 0 0\n');
    const after = parseMachineCpu('cpu 70 0 10 15 0 0 0 5\n');
    assert.equal(describeMachineCpu(before, after), 'machine: busy 80%, idle 15%, stolen by the host 5% (0.1 s)');
  });
});
