// Where the test API server and etcd binaries live: .cache/cluster/<hash of the Go modules and the Go version>/.
// Shared by scripts/build-cluster.mjs (which builds them) and the test harness (which runs them).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
export const MODULES_DIR = join(PROJECT_ROOT, 'test', 'cluster');
export const MODULE_FILES = ['apiserver/go.mod', 'apiserver/go.sum', 'apiserver/cmd/kube-apiserver/main.go', 'etcd/go.mod', 'etcd/go.sum', 'etcd/tools.go'];
export const BINARIES = ['kube-apiserver', 'etcd'];

/** `go version`, or null without Go. */
export function goVersion() {
  const result = spawnSync('go', ['version'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** The cache folder for these module files and this Go; a change to either builds anew. */
export function binDirFor(version) {
  const hash = createHash('sha256');
  for (const file of MODULE_FILES) hash.update(file).update(readFileSync(join(MODULES_DIR, file)));
  hash.update(version ?? 'no-go');
  return join(PROJECT_ROOT, '.cache', 'cluster', hash.digest('hex').slice(0, 16));
}

/** The folder holding both binaries, or { missing } saying why there is none. */
export function clusterBinDir() {
  const fromEnv = process.env.KUBEHARDEN_CLUSTER_BIN;
  const dir = fromEnv ?? binDirFor(goVersion());
  const absent = BINARIES.filter((name) => !existsSync(join(dir, name)));
  if (absent.length === 0) return dir;
  return { missing: `the test API server is not built (${absent.join(', ')} missing in ${dir}): run \`node scripts/build-cluster.mjs\` (needs Go; about 10 minutes the first time)` };
}
