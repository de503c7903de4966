// Runs every compiled test file with node's built-in test runner (Node 20 has no glob support for --test), then
// says loudly what did not run and what the tests left behind:
// - every skipped test or suite is listed with its reason after node's own summary; with CI (or
//   KUBEHARDEN_REQUIRE_ALL=1) set, any skip fails the run, since a test that did not run proves nothing;
// - the tests run with TMPDIR pointing at a fresh folder of their own, which must be empty when they end: a test
//   that leaves a temporary file or folder behind fails the run (without looking at anyone else's files in /tmp).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goTools } from './build-go-tool.mjs';

const SKIP_REPORTER = join(dirname(fileURLToPath(import.meta.url)), 'skip-reporter.mjs');

function testFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

/** The skips the reporter wrote, one JSON object per line. */
function readSkips(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // the run died before the reporter wrote anything
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** The source file a compiled test file comes from, which is what a reader looks for. */
function sourceName(file) {
  return file.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts');
}

/** The final block: every skip, grouped by reason. */
function printSkips(skips) {
  const byReason = new Map();
  for (const skip of skips) {
    const reason = skip.reason ?? '(no reason given: give the skip a message that says what is missing)';
    byReason.set(reason, [...(byReason.get(reason) ?? []), skip]);
  }
  console.log(`\n⚠ ${skips.length} skipped (they did not run, so they prove nothing):`);
  for (const [reason, group] of byReason) {
    console.log(`  ${reason}`);
    for (const skip of group) console.log(`    - ${sourceName(skip.file)}: ${skip.name}`);
  }
}

const filter = process.argv.slice(2);
const files = testFiles('dist/test').filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error('no test files found under dist/test');
  process.exit(1);
}
// The cluster tests (test/cluster/) run a real kube-apiserver and etcd: build them first when missing (cached
// afterwards, under a second). KUBEHARDEN_CLUSTER_BIN names ready binaries; KUBEHARDEN_SKIP_CLUSTER_BUILD=1 skips.
const env = { ...process.env };
const clusterTests = files.some((file) => file.startsWith(join('dist', 'test', 'cluster') + sep));
if (clusterTests && !process.env.KUBEHARDEN_CLUSTER_BIN && process.env.KUBEHARDEN_SKIP_CLUSTER_BUILD !== '1') {
  const build = spawnSync(process.execPath, ['scripts/build-cluster.mjs'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const dir = build.stdout.trim();
  if (dir !== '') env.KUBEHARDEN_CLUSTER_BIN = dir;
}
// Tests that run a real upstream tool (test/go-tools/<name>/tool.json names the tests) get it built here, cached
// by hash, never inside a test's timed path; its env variable then names the binary.
for (const tool of goTools()) {
  if (process.env[tool.env] || !files.some((file) => tool.tests.some((part) => file.includes(part)))) continue;
  const build = spawnSync(process.execPath, ['scripts/build-go-tool.mjs', tool.name], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const binary = build.stdout.trim();
  if (binary !== '') env[tool.env] = binary;
}

const run = mkdtempSync(join(tmpdir(), 'kubeharden-test-run-'));
const testTmp = join(run, 'tmp');
const skipsFile = join(run, 'skips.jsonl');
let result;
let skips;
let leftovers;
try {
  // Traversable by other users (not listable), like /tmp, so that a test may run a step as an unprivileged user
  // (root reads everything, so tests of unreadable input drop to nobody).
  chmodSync(run, 0o711);
  mkdirSync(testTmp);
  chmodSync(testTmp, 0o711);
  result = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${SKIP_REPORTER}`,
      `--test-reporter-destination=${skipsFile}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...env, TMPDIR: testTmp } },
  );
  skips = readSkips(skipsFile);
  leftovers = readdirSync(testTmp).sort();
} finally {
  try {
    rmSync(run, { recursive: true, force: true });
  } catch (error) {
    console.error(`could not remove the tests' temporary folder ${run}: ${error.message}`);
  }
}

let status = result.status ?? 1;
if (skips.length > 0) {
  printSkips(skips);
  if (process.env.CI || process.env.KUBEHARDEN_REQUIRE_ALL === '1') {
    console.log(`✖ ${process.env.CI ? 'CI' : 'KUBEHARDEN_REQUIRE_ALL=1'} requires every test to run: install what the reasons above name.`);
    status = status || 1;
  }
}
if (leftovers.length > 0) {
  console.log(`\n✖ the tests left ${leftovers.length} entr${leftovers.length === 1 ? 'y' : 'ies'} in their temporary folder (TMPDIR); every test must remove what it creates:`);
  for (const name of leftovers.slice(0, 50)) console.log(`    - ${name}`);
  if (leftovers.length > 50) console.log(`    ... and ${leftovers.length - 50} more`);
  status = status || 1;
}
process.exit(status);
