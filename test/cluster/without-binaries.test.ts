/**
 * audit-webhook.test.ts run without the API server's binaries ends on its own: outside CI every test skips with the
 * reason, under CI they fail with it. It starts audit serve before each API server (the server needs its address),
 * and its blocked-output test used to leave audit serve running when the API server did not start: the file then
 * hung (outside CI the test timed out after 5 minutes instead of skipping).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('./audit-webhook.test.js', import.meta.url));
const NOT_BUILT = 'the test API server is not built (kube-apiserver, etcd missing in /nonexistent)';
/** A few seconds when nothing is left running; the old hang was 5 minutes and more. */
const ENDS_WITHIN_MS = 60_000;

interface Run {
  readonly code: number | null;
  readonly output: string;
  readonly ended: boolean;
}

/** Runs FILE alone with KUBEHARDEN_CLUSTER_BIN=/nonexistent; what is still running after ENDS_WITHIN_MS is killed. */
function runWithoutBinaries(ci: boolean): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBEHARDEN_CLUSTER_BIN: '/nonexistent' };
  for (const name of ['CI', 'KUBEHARDEN_REQUIRE_ALL', 'NODE_TEST_CONTEXT']) delete env[name];
  if (ci) env['CI'] = 'true';
  // Its own process group, so that a hang is ended with everything the file started.
  const child = spawn(process.execPath, ['--test', '--test-reporter=tap', FILE], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    let ended = true;
    const timer = setTimeout(() => {
      ended = false;
      process.kill(-child.pid!, 'SIGKILL');
    }, ENDS_WITHIN_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ended });
    });
  });
}

const count = (output: string, what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(output)?.[1]);

describe('audit-webhook.test.ts without the API server binaries', { timeout: 2 * ENDS_WITHIN_MS + 30_000 }, () => {
  it('outside CI: ends, every test skipped with the reason', async () => {
    const run = await runWithoutBinaries(false);
    assert.ok(run.ended, `still running after ${ENDS_WITHIN_MS} ms:\n${run.output}`);
    assert.equal(run.code, 0, run.output);
    const skips = run.output.split('\n').filter((line) => line.includes('# SKIP'));
    assert.equal(skips.length, count(run.output, 'tests'), run.output);
    assert.ok(skips.length >= 7, run.output);
    for (const skip of skips) assert.ok(skip.includes(NOT_BUILT), skip);
  });

  it('under CI: ends, and fails with the reason', async () => {
    const run = await runWithoutBinaries(true);
    assert.ok(run.ended, `still running after ${ENDS_WITHIN_MS} ms:\n${run.output}`);
    assert.notEqual(run.code, 0, run.output);
    assert.ok(run.output.includes(NOT_BUILT), run.output);
    assert.equal(count(run.output, 'pass'), 0, run.output);
    assert.equal(count(run.output, 'skipped'), 0, run.output);
  });
});
