/**
 * npm packages: `package-lock.json` / `npm-shrinkwrap.json` (lockfile v1's nested `dependencies`, v2/v3's flat
 * `packages` map), the hidden lockfile npm keeps in `node_modules/.package-lock.json`, and the `package.json` of
 * every installed package under `node_modules`. The lockfile rules follow osv-scanner (its fixtures are the test):
 * aliases resolve to the real package, git dependencies carry their commit, `file:` dependencies have no version.
 */
import type { InstalledPackage } from '../model.js';
import { isRecord, record, str } from '../../util/object.js';
import { eachFile, PackageFileError, type PackageExtractor } from './extractor.js';
import { formatPurl } from './purl.js';

export interface LockEntry {
  readonly name: string;
  readonly version: string;
  /** The git commit a git dependency resolved to. */
  readonly commit?: string;
}

const COMMIT_PATTERNS = [
  /(?:^|.+@)(?:git(?:\+(?:ssh|https))?|ssh):\/\/.+#(\w+)$/,
  /(?:^|.+@)https:\/\/.+\.git#(\w+)$/,
  /https:\/\/codeload\.github\.com(?:\/[\w.-]+){2}\/tar\.gz\/(\w+)$/,
  /.+#commit[:=](\w+)$/,
  /^(?:github|gitlab|bitbucket):.+#(\w+)$/,
];

/** The commit a git dependency's `resolved`/`version` points at, or ''. */
export function commitOf(resolution: string): string {
  for (const pattern of COMMIT_PATTERNS) {
    const match = pattern.exec(resolution);
    if (match?.[1]) return match[1];
  }
  try {
    const url = new URL(resolution);
    if (['bitbucket.org', 'github.com', 'gitlab.com'].includes(url.host)) return url.searchParams.get('ref') ?? url.hash.replace(/^#/, '');
  } catch {
    // Not a URL: no commit.
  }
  return '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PackageFileError(`could not extract from the file: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The packages of a lockfile (package-lock.json, npm-shrinkwrap.json, node_modules/.package-lock.json). */
export function parseNpmLock(text: string): LockEntry[] {
  const lock = parseJson(text);
  if (!isRecord(lock)) throw new PackageFileError('could not extract from the file: not a JSON object');
  const packages = record(lock['packages']);
  if (packages) return fromPackagesMap(packages);
  return [...fromDependencies(record(lock['dependencies']) ?? {}, 0).values()];
}

/** `node_modules/a/node_modules/@s/b` → `@s/b`: the last folder, with its scope. */
function packageNameOfPath(path: string): string {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  const scope = parts[parts.length - 2];
  return scope?.startsWith('@') ? `${scope}/${name}` : name;
}

/** Lockfile v2/v3: `node_modules/a/node_modules/b` → b. One entry per name and version (or commit). */
function fromPackagesMap(packages: Record<string, unknown>): LockEntry[] {
  const found = new Map<string, LockEntry>();
  for (const path of Object.keys(packages).sort()) {
    const entry = record(packages[path]);
    if (path === '' || !entry) continue;
    const name = str(entry['name']) || packageNameOfPath(path);
    const version = str(entry['version']) ?? '';
    const commit = commitOf(str(entry['resolved']) ?? '');
    const key = `${name}@${commit || version}`;
    if (!found.has(key)) found.set(key, { name, version, ...(commit ? { commit } : {}) });
  }
  return [...found.values()];
}

const MAX_DEPTH = 512;

/** Lockfile v1: a tree of `dependencies`. */
function fromDependencies(dependencies: Record<string, unknown>, depth: number): Map<string, LockEntry> {
  if (depth > MAX_DEPTH) throw new PackageFileError(`dependencies nested deeper than ${MAX_DEPTH}`);
  const found = new Map<string, LockEntry>();
  for (const [declared, value] of Object.entries(dependencies)) {
    const detail = record(value);
    if (!detail) continue;
    const nested = record(detail['dependencies']);
    if (nested) for (const [key, entry] of fromDependencies(nested, depth + 1)) found.set(key, entry);
    let name = declared;
    let key = str(detail['version']) ?? '';
    let version = key;
    let commit = '';
    if (version.startsWith('npm:')) {
      const at = version.lastIndexOf('@');
      name = version.slice(4, at);
      version = version.slice(at + 1);
    }
    if (key.startsWith('file:')) version = '';
    else {
      commit = commitOf(key);
      if (commit) {
        version = '';
        key = commit;
      }
    }
    found.set(`${name}@${key}`, { name, version, ...(commit ? { commit } : {}) });
  }
  return found;
}

/** The name and version of an installed package's own package.json. */
export function parsePackageJson(text: string): LockEntry[] {
  const manifest = record(parseJson(text));
  const name = str(manifest?.['name']);
  const version = str(manifest?.['version']);
  if (!name || !version) return [];
  return [{ name, version }];
}

export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0
    ? formatPurl({ type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version })
    : formatPurl({ type: 'npm', namespace: null, name, version });
}

function npmPackage(entry: LockEntry): InstalledPackage {
  return { ecosystem: 'npm', name: entry.name, version: entry.version, purl: npmPurl(entry.name, entry.version) };
}

const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);
const INSTALLED_MANIFEST = /\/node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/;

export const npmExtractor: PackageExtractor = {
  id: 'npm',
  description: 'npm package-lock.json (v1–v3), node_modules/.package-lock.json and node_modules/*/package.json',
  maxBytes: 64 * 1024 * 1024,
  independent: false,
  wants(path) {
    if (path.endsWith('/node_modules/.package-lock.json')) return true;
    if (INSTALLED_MANIFEST.test(path)) return true;
    const name = path.slice(path.lastIndexOf('/') + 1);
    return LOCKFILES.has(name) && !path.includes('/node_modules/');
  },
  extract(files, context) {
    // What is installed wins over what a lockfile says would be: an app's package-lock.json is skipped when its
    // node_modules is there, and installed package.json files when npm's hidden lockfile lists them already.
    const hiddenLocks = [...files.keys()].filter((path) => path.endsWith('/node_modules/.package-lock.json')).map((path) => path.slice(0, -'.package-lock.json'.length));
    const installedRoots = new Set([...files.keys()].filter((path) => INSTALLED_MANIFEST.test(path) || path.endsWith('/.package-lock.json')).map((path) => path.slice(0, path.indexOf('/node_modules/'))));
    const chosen = new Map(
      [...files].filter(([path]) => {
        if (INSTALLED_MANIFEST.test(path)) return !hiddenLocks.some((root) => path.startsWith(root));
        const name = path.slice(path.lastIndexOf('/') + 1);
        if (LOCKFILES.has(name)) return !installedRoots.has(path.slice(0, path.lastIndexOf('/')));
        return true;
      }),
    );
    return eachFile('npm', chosen, context, (path, content) => {
      const entries = INSTALLED_MANIFEST.test(path) ? parsePackageJson(content.toString('utf8')) : parseNpmLock(content.toString('utf8'));
      // A lockfile lists local folders and linked workspaces too; only registry packages have a version to match.
      return entries.filter((entry) => entry.version !== '' || entry.commit).map(npmPackage);
    });
  },
};
