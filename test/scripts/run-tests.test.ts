/**
 * scripts/run-tests.mjs (what `npm test` and CI run) on tiny test suites of its own: a skipped test is listed with
 * its reason after node's summary and fails the run under CI, and a test that leaves a temporary file behind fails
 * the run without the run looking at anything else in /tmp.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const RUN_TESTS = resolve(PROJECT_ROOT, 'scripts', 'run-tests.mjs');

const PASSING = `import { test } from 'node:test';
test('runs', () => {});
`;
const SKIPPING = `import { describe, it, test } from 'node:test';
test('runs', () => {});
test('needs a browser', { skip: 'the browser is not installed' }, () => {});
describe('needs the data', { skip: 'the data folder is missing' }, () => {
  it('reads it', () => {});
});
describe('needs a server', () => {
  it('talks to it', (t) => t.skip('the server binary is not built'));
});
`;
const LEAKING = `import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
test('forgets its folder', () => { mkdtempSync(join(tmpdir(), 'forgotten-')); });
`;

/** Runs run-tests.mjs in a throwaway project whose dist/test holds `files`; TMPDIR is a folder of the test's own. */
function runTests(t: TestContext, files: Record<string, string>, env: Record<string, string> = {}) {
  const project = tempDir('runner', t);
  const tmp = join(project, 'tmp');
  mkdirSync(tmp);
  mkdirSync(join(project, 'dist', 'test'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(project, 'dist', 'test', name), text);
  const inherited = { ...process.env };
  // Not a child of this test run (node:test marks its children so), not under CI unless asked.
  for (const name of ['NODE_TEST_CONTEXT', 'CI', 'KUBEHARDEN_REQUIRE_ALL']) delete inherited[name];
  const result = spawnSync(process.execPath, [RUN_TESTS], { cwd: project, encoding: 'utf8', env: { ...inherited, TMPDIR: tmp, NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, tmpAfter: readdirSync(tmp) };
}

describe('scripts/run-tests.mjs', () => {
  it('passes a clean run and leaves nothing in TMPDIR', (t) => {
    const run = runTests(t, { 'ok.test.js': PASSING });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ℹ pass 1\n/);
    assert.doesNotMatch(run.stdout, /skipped test|did not run|left/);
    assert.deepEqual(run.tmpAfter, []);
  });

  it('lists every skipped test and suite with its reason after node’s own summary lines', (t) => {
    const run = runTests(t, { 'skips.test.js': SKIPPING });
    assert.equal(run.code, 0, 'outside CI a skip does not fail the run');
    for (const line of ['ℹ tests ', 'ℹ pass 1', 'ℹ fail 0', 'ℹ skipped 2']) assert.ok(run.stdout.includes(line), `node's summary line "${line}"`);
    const block = run.stdout.slice(run.stdout.indexOf('ℹ duration_ms'));
    assert.match(block, /⚠ 3 skipped/);
    for (const [reason, name] of [
      ['the browser is not installed', 'test/skips.test.ts: needs a browser'],
      ['the data folder is missing', 'test/skips.test.ts: needs the data'],
      ['the server binary is not built', 'test/skips.test.ts: needs a server › talks to it'],
    ]) {
      assert.ok(block.includes(`  ${reason}\n    - ${name}\n`), `${name} listed under its reason:\n${block}`);
    }
    assert.deepEqual(run.tmpAfter, []);
  });

  for (const env of [{ CI: 'true' }, { KUBEHARDEN_REQUIRE_ALL: '1' }] as Record<string, string>[]) {
    const name = Object.keys(env)[0];
    it(`fails when anything was skipped and ${name} is set, naming the reason`, (t) => {
      const run = runTests(t, { 'skips.test.js': SKIPPING, 'ok.test.js': PASSING }, env);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stdout, /ℹ fail 0\n/, 'no test failed: the skips alone fail the run');
      assert.match(run.stdout, /the browser is not installed/);
      assert.match(run.stdout, /✖ .*requires every test to run/);
    });
  }

  it('fails when a test leaves something in TMPDIR, names it, and removes it', (t) => {
    const run = runTests(t, { 'leak.test.js': LEAKING });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /ℹ pass 1\n/);
    assert.match(run.stdout, /✖ the tests left 1 entry in their temporary folder \(TMPDIR\)[^\n]*\n {4}- forgotten-\w{6}\n/);
    assert.deepEqual(run.tmpAfter, [], 'the run removes its own temporary folder, leftovers included');
  });

  it('keeps a failing test’s exit code', (t) => {
    const run = runTests(t, { 'fail.test.js': `import { test } from 'node:test';\ntest('fails', () => { throw new Error('no'); });\n` });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /ℹ fail 1\n/);
  });
});
