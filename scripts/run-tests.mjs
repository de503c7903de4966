// Runs every compiled test file with node's built-in test runner (Node 20 has no glob support for --test).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

function testFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
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
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
