// Builds the single executable of the CLI (a Node single executable application, SEA) for this machine's platform
// and architecture from the compiled dist/src, and the archive krew installs:
//
//   npm run build:binary                       # tsc, then this: dist/sea/kubeharden and dist/sea/kubeharden-linux-x64.tar.gz
//   node scripts/build-binary.mjs --out DIR    # the same into DIR (the tests build into .cache/sea/<inputs hash>/)
//
// Steps (Node 20's SEA runs one CommonJS script whose require() sees only Node's built-in modules):
//   1. esbuild bundles dist/src/cli/main.js and every dependency into one CommonJS file. Our dynamic import()s of
//      our own modules stay lazy inside the bundle. The two ESM-only constructs are rewritten at load, and the build
//      fails if either comes back in a form it does not know: `readFileSync(new URL(REL, import.meta.url), 'utf8')`
//      becomes the file's text (package.json for --version: nothing is read beside the binary at run time), and the
//      entry's top-level `await main(...)` a plain call. JSON imports (the OSV schema) are inlined by esbuild.
//   2. better-sqlite3 is native and cannot be inside the blob: it is replaced by a module whose constructor throws a
//      UsageError saying so (serve's SQLite history, RPM images with an rpmdb.sqlite); PostgreSQL (pg) is pure JS.
//   3. node --experimental-sea-config writes the blob (code cache on, the experimental warning off); postject injects
//      it into a copy of this node binary; the archive holds it and LICENSE, with a sha256 beside it.
//
// esbuild and postject are devDependencies. KUBEHARDEN_SEA_DEPS=/dir (a folder with node_modules/esbuild and
// node_modules/postject, e.g. from `npm install --no-save --prefix /dir esbuild postject`) is a fallback for a
// checkout whose node_modules predates them; the normal path is plain node_modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST_SRC = join(PROJECT_ROOT, 'dist', 'src');
const ENTRY = join(DIST_SRC, 'cli', 'main.js');
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const NATIVE_ONLY = 'better-sqlite3';
const INPUT_FILES = ['package.json', 'LICENSE'];

/** krew's and the release's name for this platform: linux-x64, linux-arm64, darwin-arm64, windows-x64. */
export function platformName(platform = process.platform, arch = process.arch) {
  return `${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

export function binaryFileName(platform = process.platform) {
  return platform === 'win32' ? 'kubeharden.exe' : 'kubeharden';
}

/** esbuild or postject from node_modules, else from KUBEHARDEN_SEA_DEPS; null when neither has it. */
export function loadBuildTool(name) {
  const places = [PROJECT_ROOT, process.env.KUBEHARDEN_SEA_DEPS].filter(Boolean);
  for (const place of places) {
    try {
      return createRequire(join(resolve(place), 'package.json'))(name);
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  return null;
}

/** Why the binary cannot be built here, or null. */
export function missingBuildTools() {
  const missing = ['esbuild', 'postject'].filter((name) => loadBuildTool(name) === null);
  if (missing.length > 0) return `${missing.join(' and ')} not installed (devDependencies: run \`npm ci\`)`;
  if (!existsSync(ENTRY)) return `${relative(PROJECT_ROOT, ENTRY)} is missing (run \`npm run build\`)`;
  return null;
}

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (/\.(js|json)$/.test(entry.name)) yield path;
  }
}

/** What the binary is made of: the compiled code, package.json, this script, the node binary and the tools' versions. */
export function binaryInputsHash() {
  const hash = createHash('sha256');
  for (const file of filesUnder(DIST_SRC)) hash.update(relative(DIST_SRC, file)).update(readFileSync(file));
  for (const file of [...INPUT_FILES.map((name) => join(PROJECT_ROOT, name)), fileURLToPath(import.meta.url)]) hash.update(readFileSync(file));
  const node = statSync(process.execPath);
  hash.update(`${process.execPath} ${process.version} ${node.size} ${node.mtimeMs} ${platformName()}`);
  for (const name of ['esbuild', 'postject']) hash.update(`${name} ${loadBuildTool(`${name}/package.json`)?.version}`);
  return hash.digest('hex').slice(0, 16);
}

const FILE_NEXT_TO_MODULE = /readFileSync\(new URL\('([^']+)', import\.meta\.url\), 'utf8'\)/g;

/** The esbuild plugin that makes the ESM build fit one CommonJS script with nothing beside it. */
const seaPlugin = {
  name: 'kubeharden-sea',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(DIST_SRC)) return undefined;
      let text = readFileSync(args.path, 'utf8');
      const original = text;
      text = text.replace(FILE_NEXT_TO_MODULE, (_match, file) => JSON.stringify(readFileSync(resolve(dirname(args.path), file), 'utf8')));
      if (args.path === ENTRY) text = text.replace(/^await main\(process\.argv\);$/m, 'void main(process.argv);');
      if (text.includes('import.meta')) throw new Error(`${args.path}: an import.meta use the single executable has no rewrite for (only readFileSync(new URL('…', import.meta.url), 'utf8'))`);
      return text === original ? undefined : { contents: text, loader: 'js' };
    });
    build.onResolve({ filter: new RegExp(`^${NATIVE_ONLY}$`) }, () => ({ path: NATIVE_ONLY, namespace: 'kubeharden-sea' }));
    build.onLoad({ filter: /.*/, namespace: 'kubeharden-sea' }, () => ({
      resolveDir: join(DIST_SRC, 'cli'),
      contents: [
        "import { UsageError } from './usage-error.js';",
        'export default class Database {',
        '  constructor() {',
        `    throw new UsageError('SQLite (${NATIVE_ONLY}, a native module) is not in the single executable: use the npm package or the container image for this, or serve --database postgres://…');`,
        '  }',
        '}',
      ].join('\n'),
    }));
  },
};

function run(command, args) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
}

/**
 * Builds into `outDir`: the bundle, the blob, the binary and `kubeharden-<platform>.tar.gz` with its `.sha256`.
 * Built in a temporary folder beside `outDir` and renamed, so an interrupted build never leaves a half binary.
 */
export async function buildBinary(outDir) {
  const missing = missingBuildTools();
  if (missing) throw new Error(`cannot build the single executable: ${missing}`);
  const esbuild = loadBuildTool('esbuild');
  const postject = loadBuildTool('postject');
  const work = `${outDir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const bundle = join(work, 'kubeharden.cjs');
  await esbuild.build({
    entryPoints: [ENTRY],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // pg loads pg-native only when asked for (`pg.native`), which kubeharden never is.
    external: ['pg-native'],
    plugins: [seaPlugin],
    legalComments: 'none',
    logLevel: 'warning',
  });
  const blob = join(work, 'kubeharden.blob');
  const config = join(work, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }, null, 2));
  run(process.execPath, ['--experimental-sea-config', config]);
  const binary = join(work, binaryFileName());
  copyFileSync(process.execPath, binary);
  chmodSync(binary, 0o755);
  await postject.inject(binary, 'NODE_SEA_BLOB', readFileSync(blob), {
    sentinelFuse: SENTINEL_FUSE,
    ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
  if (process.platform === 'darwin') run('codesign', ['--sign', '-', binary]);
  const archive = join(work, `kubeharden-${platformName()}.tar.gz`);
  // The licence travels with the binary (krew's validator also wants one in every plugin archive).
  copyFileSync(join(PROJECT_ROOT, 'LICENSE'), join(work, 'LICENSE'));
  // The same bytes for the same binary: sorted, owned by root, dated 1970, gzip without a name or time.
  const tar = spawnSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cf', '-', '-C', work, 'LICENSE', binaryFileName()], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  const gzip = spawnSync('gzip', ['-n', '-c'], { input: tar.stdout, maxBuffer: 1 << 30 });
  if (gzip.status !== 0) throw new Error(`gzip failed: ${gzip.stderr}`);
  writeFileSync(archive, gzip.stdout);
  const sha256 = createHash('sha256').update(gzip.stdout).digest('hex');
  writeFileSync(`${archive}.sha256`, `${sha256}  kubeharden-${platformName()}.tar.gz\n`);
  rmSync(blob);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(work, outDir);
  return { binary: join(outDir, binaryFileName()), archive: join(outDir, `kubeharden-${platformName()}.tar.gz`), sha256 };
}

/** The binary built from the current inputs under .cache/sea/<hash>/ (built once), or { missing }. */
export async function cachedBinary() {
  const missing = missingBuildTools();
  if (missing) return { missing: `the single executable cannot be built: ${missing}` };
  const dir = join(PROJECT_ROOT, '.cache', 'sea', binaryInputsHash());
  const archive = join(dir, `kubeharden-${platformName()}.tar.gz`);
  const built = () => existsSync(`${archive}.sha256`) && { binary: join(dir, binaryFileName()), archive, sha256: readFileSync(`${archive}.sha256`, 'utf8').split(' ')[0] };
  // One build at a time (test files may ask at once): the others wait for it, unless its builder died.
  const lock = `${dir}.lock`;
  mkdirSync(dirname(dir), { recursive: true });
  for (;;) {
    if (built()) return built();
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (lockAbandoned(lock)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((done) => setTimeout(done, 1000));
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    if (built()) return built();
    const result = await buildBinary(dir);
    pruneCache(dirname(dir), 3);
    return result;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Keeps the `keep` newest builds (about 130 MB each: every change to the code is a new one). */
function pruneCache(cache, keep) {
  const builds = readdirSync(cache, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[0-9a-f]{16}$/.test(entry.name))
    .map((entry) => ({ path: join(cache, entry.name), mtime: statSync(join(cache, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of builds.slice(keep)) rmSync(old.path, { recursive: true, force: true });
}

/** Its builder's process is gone, or it never wrote its pid within a minute. */
function lockAbandoned(lock) {
  let pid = 0;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(lock).mtimeMs > 60_000;
    } catch {
      return false; // removed meanwhile: try again
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code !== 'EPERM';
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const outAt = process.argv.indexOf('--out');
  const outDir = resolve(outAt > 0 ? process.argv[outAt + 1] : join(PROJECT_ROOT, 'dist', 'sea'));
  const started = Date.now();
  const built = await buildBinary(outDir);
  const size = (statSync(built.binary).size / 2 ** 20).toFixed(0);
  console.log(`${relative(process.cwd(), built.binary)} (${size} MiB) and ${relative(process.cwd(), built.archive)} (sha256 ${built.sha256}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
