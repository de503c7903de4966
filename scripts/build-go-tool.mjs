// Builds the real upstream tools the tests run (kustomize, helm, a registry, …) from Go modules pinned under
// test/go-tools/<name>/ (go.mod, go.sum, tools.go and tool.json), through the Go module proxy, into
// .cache/go-tools/<name>/<hash>/<binary>. A tool is data: add a folder, nothing here changes. Fast when built.
//
//   node scripts/build-go-tool.mjs kustomize     # builds if needed, prints the path of the binary
//   node scripts/build-go-tool.mjs --list        # the tools, one name per line
//
// tool.json: { "description", "package" (what `go build` builds), "binary" (file name), "env" (a variable that
// names a ready binary instead), "tests" (substrings of test paths that need it: scripts/run-tests.mjs builds the
// tool first when it runs one of them), "cgo" (optional, default false), "ldflags" (optional, added after -s -w:
// the version a Kubernetes binary reports, say) }
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { goVersion, PROJECT_ROOT } from './cluster-binaries.mjs';

const TOOLS_DIR = join(PROJECT_ROOT, 'test', 'go-tools');

/** Every tool's name and tool.json. */
export function goTools() {
  if (!existsSync(TOOLS_DIR)) return [];
  return readdirSync(TOOLS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(TOOLS_DIR, entry.name, 'tool.json')))
    .map((entry) => ({ name: entry.name, ...JSON.parse(readFileSync(join(TOOLS_DIR, entry.name, 'tool.json'), 'utf8')) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function toolNamed(name) {
  const tool = goTools().find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no Go tool named ${name} under test/go-tools/`);
  return tool;
}

/** Where the binary for this tool's module files and this Go lives; a change to either builds anew. */
export function goToolBinaryFor(name, version) {
  const tool = toolNamed(name);
  const dir = join(TOOLS_DIR, name);
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  hash.update(version ?? 'no-go');
  return join(PROJECT_ROOT, '.cache', 'go-tools', name, hash.digest('hex').slice(0, 16), tool.binary);
}

/** The built binary (or the one its env variable names), or { missing } saying why there is none. */
export function goToolBinary(name) {
  const tool = toolNamed(name);
  const binary = process.env[tool.env] || goToolBinaryFor(name, goVersion());
  if (existsSync(binary)) return binary;
  return { missing: `${name} is not built (${binary} is missing): run \`node scripts/build-go-tool.mjs ${name}\` (needs Go; a minute or a few the first time)` };
}

/** Builds the tool when it is not cached; returns its path, or null when Go is missing (exit 1 in CI). */
export function buildGoTool(name) {
  const tool = toolNamed(name);
  if (process.env[tool.env]) return process.env[tool.env];
  const version = goVersion();
  if (version === null) {
    console.error(`build-go-tool: \`go\` is not on PATH, so the tests that need ${name} will be skipped`);
    if (process.env.CI) process.exit(1);
    return null;
  }
  const output = goToolBinaryFor(name, version);
  if (existsSync(output)) return output;
  mkdirSync(join(output, '..'), { recursive: true });
  console.error(`build-go-tool: building ${name} (${tool.package}) from the Go module proxy…`);
  const started = Date.now();
  // Built under a temporary name and renamed, so an interrupted build never leaves a broken binary behind.
  const partial = `${output}.partial-${process.pid}`;
  const ldflags = ['-s -w', tool.ldflags].filter(Boolean).join(' ');
  const result = spawnSync('go', ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', partial, tool.package], {
    cwd: join(TOOLS_DIR, name),
    stdio: ['ignore', 2, 2],
    env: { ...process.env, CGO_ENABLED: tool.cgo ? '1' : '0', GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=readonly' },
  });
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    console.error(`build-go-tool: building ${name} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); nothing was cached`);
    process.exit(1);
  }
  renameSync(partial, output);
  console.error(`build-go-tool: ${name} built in ${Math.round((Date.now() - started) / 1000)} s`);
  return output;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const name = process.argv[2];
  if (name === '--list') {
    for (const tool of goTools()) console.log(tool.name);
  } else if (!name) {
    console.error('usage: node scripts/build-go-tool.mjs NAME | --list');
    process.exit(2);
  } else {
    const binary = buildGoTool(name);
    if (binary) console.log(binary);
  }
}
