// Builds the real `kustomize` CLI that the `fix --patches` test runs, from the upstream Go module pinned in
// test/kustomize/ (through the Go module proxy), into .cache/kustomize/<hash>/kustomize. Fast when built.
//
//   node scripts/build-kustomize.mjs          # prints the path of the binary
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { goVersion, PROJECT_ROOT } from './cluster-binaries.mjs';

const MODULE_DIR = join(PROJECT_ROOT, 'test', 'kustomize');
const MODULE_FILES = ['go.mod', 'go.sum', 'tools.go'];

/** Where the binary for these module files and this Go lives; a change to either builds anew. */
export function kustomizeBinaryFor(version) {
  const hash = createHash('sha256');
  for (const file of MODULE_FILES) hash.update(file).update(readFileSync(join(MODULE_DIR, file)));
  hash.update(version ?? 'no-go');
  return join(PROJECT_ROOT, '.cache', 'kustomize', hash.digest('hex').slice(0, 16), 'kustomize');
}

/** The built binary, or { missing } saying why there is none. */
export function kustomizeBinary() {
  const binary = process.env.KUBEHARDEN_KUSTOMIZE_BIN || kustomizeBinaryFor(goVersion());
  if (existsSync(binary)) return binary;
  return { missing: `kustomize is not built (${binary} is missing): run \`node scripts/build-kustomize.mjs\` (needs Go; about a minute the first time)` };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) build();

function build() {
  const version = goVersion();
  if (version === null) {
    console.error('build-kustomize: `go` is not on PATH, so the `fix --patches` kustomize test will be skipped');
    process.exit(process.env.CI ? 1 : 0);
  }
  const output = kustomizeBinaryFor(version);
  if (!existsSync(output)) {
    mkdirSync(join(output, '..'), { recursive: true });
    console.error('build-kustomize: building kustomize from the Go module proxy…');
    const started = Date.now();
    // Built under a temporary name and renamed, so an interrupted build never leaves a broken binary behind.
    const partial = `${output}.partial-${process.pid}`;
    const result = spawnSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', partial, 'sigs.k8s.io/kustomize/kustomize/v5'], {
      cwd: MODULE_DIR,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=readonly' },
    });
    if (result.status !== 0) {
      rmSync(partial, { force: true });
      console.error(`build-kustomize: building kustomize failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); nothing was cached`);
      process.exit(1);
    }
    renameSync(partial, output);
    console.error(`build-kustomize: kustomize built in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  console.log(output);
}
