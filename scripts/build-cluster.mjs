// Builds the real kube-apiserver and etcd that the cluster tests and the cluster benchmark run, from the upstream
// Go modules pinned in test/cluster/ (through the Go module proxy), into .cache/cluster/<hash>/. Fast when built.
//
//   node scripts/build-cluster.mjs          # prints the folder holding the binaries
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BINARIES, binDirFor, goVersion, MODULES_DIR } from './cluster-binaries.mjs';

const KUBERNETES_VERSION = 'v1.37.2';
const version = goVersion();
if (version === null) {
  if (process.env.CI) {
    console.error('build-cluster: `go` is not on PATH; CI needs it to build the test API server (install Go)');
    process.exit(1);
  }
  console.error('build-cluster: `go` is not on PATH, so the tests that need a real API server will be skipped');
  process.exit(0);
}
const dir = binDirFor(version);
const ldflags = [
  '-s -w',
  `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
  '-X k8s.io/component-base/version.gitMajor=1',
  `-X k8s.io/component-base/version.gitMinor=${KUBERNETES_VERSION.split('.')[1]}`,
  '-X k8s.io/component-base/version.gitTreeState=clean',
].join(' ');
const builds = {
  'kube-apiserver': {
    cwd: join(MODULES_DIR, 'apiserver'),
    target: './cmd/kube-apiserver',
    ldflags,
    note: `kube-apiserver ${KUBERNETES_VERSION} from the Go module proxy (first run takes ~10 minutes)`,
  },
  etcd: { cwd: join(MODULES_DIR, 'etcd'), target: 'go.etcd.io/etcd/server/v3', ldflags: '-s -w', note: 'etcd from the Go module proxy (about a minute)' },
};
mkdirSync(dir, { recursive: true });
removeAbandonedPartials(dir);
for (const name of BINARIES) {
  const output = join(dir, name);
  if (existsSync(output)) continue;
  const build = builds[name];
  console.error(`build-cluster: building ${build.note}…`);
  const started = Date.now();
  // Built under a temporary name and renamed, so an interrupted build never leaves a broken binary behind.
  // The process id keeps two builds at once (two terminals, two test runs) from writing the same file.
  const partial = `${output}.partial-${process.pid}`;
  const result = spawnSync('go', ['build', '-trimpath', `-ldflags=${build.ldflags}`, '-o', partial, build.target], {
    cwd: build.cwd,
    // Go's output goes to stderr: stdout carries only the folder, for scripts/run-tests.mjs.
    stdio: ['ignore', 2, 2],
    env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=readonly' },
  });
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    console.error(`build-cluster: building ${name} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); nothing was cached`);
    process.exit(1);
  }
  renameSync(partial, output);
  console.error(`build-cluster: ${name} built in ${Math.round((Date.now() - started) / 1000)} s`);
}
console.log(dir);

/** Half-written binaries of builds that were killed (their process is gone). */
function removeAbandonedPartials(folder) {
  for (const file of readdirSync(folder)) {
    const pid = Number(/\.partial-(\d+)$/.exec(file)?.[1]);
    if (pid && !processExists(pid)) rmSync(join(folder, file), { force: true });
  }
}

function processExists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code !== 'ESRCH';
  }
}
