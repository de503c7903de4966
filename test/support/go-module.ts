/**
 * Upstream files published as Go modules (CRDs, schemas), fetched the way Go fetches them: `go mod download`
 * through the module proxy into the module cache. A fresh CI machine downloads them; later runs hit the cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cache = new Map<string, string>();

function goEnv(): NodeJS.ProcessEnv {
  // Outside any module (a fresh temp folder), with the installed toolchain: never a toolchain download, never a
  // go.work or go.mod of the caller's.
  return { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOWORK: 'off' };
}

let goVersion: string | null | undefined;

/** `go version`'s answer, or null when `go` cannot be run. */
export function goToolVersion(): string | null {
  if (goVersion === undefined) {
    const result = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv(), timeout: 60_000 });
    goVersion = result.status === 0 ? result.stdout.trim() : null;
  }
  return goVersion;
}

/**
 * `skip` option for tests that need Go: a reason when `go` is missing, false otherwise. Under CI (`CI` set) it is
 * always false, so the tests run and fail with {@link goModuleDir}'s message instead of passing silently.
 */
export function needsGo(): string | false {
  if (goToolVersion() !== null || process.env['CI']) return false;
  return 'the `go` command is not on PATH; these tests fetch upstream CRDs with `go mod download` (install Go to run them; under CI they fail instead)';
}

/** The folder of MODULE@VERSION in the Go module cache, downloading it through the module proxy when needed. */
export function goModuleDir(module: string, version: string): string {
  const key = `${module}@${version}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  if (goToolVersion() === null) {
    throw new Error(`cannot fetch ${key}: the \`go\` command is not on PATH (install Go; it downloads the module through the Go module proxy)`);
  }
  const work = mkdtempSync(join(tmpdir(), 'kubeharden-gomod-'));
  try {
    const result = spawnSync('go', ['mod', 'download', '-json', key], {
      cwd: work,
      encoding: 'utf8',
      env: goEnv(),
      timeout: 10 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    let info: { Dir?: string; Error?: string } = {};
    try {
      info = JSON.parse(result.stdout) as typeof info;
    } catch {
      // Not JSON: go failed before answering; its stderr says why.
    }
    if (result.error || result.status !== 0 || !info.Dir) {
      const why = [result.error?.message, info.Error, result.stderr?.trim()].filter((part) => part).join('\n') || `exit status ${result.status}`;
      throw new Error(`go mod download -json ${key} failed:\n${why}`);
    }
    cache.set(key, info.Dir);
    return info.Dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

