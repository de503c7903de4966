// Builds the real kube-apiserver and etcd that the cluster tests and the cluster benchmark run, from the upstream
// Go modules pinned in test/cluster/ (through the Go module proxy), into .cache/cluster/<hash>/. Fast when built.
//
//   node scripts/build-cluster.mjs          # prints the folder holding the binaries
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
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
  'kube-apiserver': { cwd: join(MODULES_DIR, 'apiserver'), target: './cmd/kube-apiserver', ldflags, note: `kube-apiserver ${KUBERNETES_VERSION} from k8s.io/kubernetes (the first build takes about 11 minutes on 2 cores)` },
  etcd: { cwd: join(MODULES_DIR, 'etcd'), target: 'go.etcd.io/etcd/server/v3', ldflags: '-s -w', note: 'etcd from go.etcd.io/etcd/server/v3 (about a minute)' },
};
mkdirSync(dir, { recursive: true });
for (const name of BINARIES) {
  const output = join(dir, name);
  if (existsSync(output)) continue;
  const build = builds[name];
  console.error(`build-cluster: building ${build.note}…`);
  const started = Date.now();
  // Built under a temporary name and renamed, so an interrupted build never leaves a broken binary behind.
  const partial = `${output}.partial`;
  rmSync(partial, { force: true });
  const result = spawnSync('go', ['build', '-trimpath', `-ldflags=${build.ldflags}`, '-o', partial, build.target], {
    cwd: build.cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=readonly' },
  });
  if (result.status !== 0) {
    console.error(`build-cluster: building ${name} failed (exit ${result.status})`);
    process.exit(1);
  }
  renameSync(partial, output);
  console.error(`build-cluster: ${name} built in ${Math.round((Date.now() - started) / 1000)} s`);
}
console.log(dir);
