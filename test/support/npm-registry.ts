/**
 * An npm registry on loopback that serves exactly the project's lockfile (its runtime packages), from the tarballs `npm ci` left in npm's
 * cache: installing the packed kubeharden from it is a real `npm install` (resolution, bins, install scripts) with
 * no network. better-sqlite3's install script asks for a prebuilt binary first; the registry answers with the one
 * `npm ci` built here, as an air-gapped mirror would (docs/install.md), so the install does not compile SQLite.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { PROJECT_ROOT } from './paths.js';

interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly dev?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly bin?: Record<string, string> | string;
  readonly engines?: Record<string, string>;
  readonly os?: string[];
  readonly cpu?: string[];
  readonly hasInstallScript?: boolean;
}

interface Version {
  readonly manifest: Record<string, unknown>;
  /** The tarball in npm's content-addressed cache. */
  readonly file: string;
}

/** Where cacache keeps the content of an integrity: content-v2/<algorithm>/<hex[0:2]>/<hex[2:4]>/<hex[4:]>. */
function cachedContent(cache: string, integrity: string): string {
  const [algorithm, base64] = integrity.split(' ')[0]!.split('-') as [string, string];
  const hex = Buffer.from(base64, 'base64').toString('hex');
  return join(cache, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

export interface LocalRegistry {
  readonly url: string;
  /** The variable that points better-sqlite3's install script at this registry's prebuilt binary. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the registry, or says which lockfile tarballs npm's cache lacks (the test then names them). `kubeharden`:
 * a packed kubeharden to serve as well, as the package a published release would be (its manifest is this
 * checkout's package.json).
 */
export async function startLocalRegistry(kubeharden?: string): Promise<LocalRegistry | { missing: string }> {
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages = new Map<string, Map<string, Version>>();
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    // Development packages never install with the package (and a platform's build tools, such as esbuild's
    // binaries for other systems, are never in this machine's cache).
    if (path === '' || entry.link || entry.dev || !entry.version || !entry.integrity) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const file = cachedContent(cache, entry.integrity);
    if (!existsSync(file)) {
      missing.push(`${name}@${entry.version}`);
      continue;
    }
    const { version, integrity, dependencies, optionalDependencies, peerDependencies, peerDependenciesMeta, bin, engines, os, cpu, hasInstallScript } = entry;
    const manifest = { name, version, dependencies, optionalDependencies, peerDependencies, peerDependenciesMeta, bin, engines, os, cpu, hasInstallScript, dist: { integrity, tarball: '' } };
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name)!.set(version, { manifest, file });
  }
  if (kubeharden !== undefined) {
    const own = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };
    const integrity = `sha512-${createHash('sha512').update(readFileSync(kubeharden)).digest('base64')}`;
    const { name, version, dependencies, bin, engines } = own;
    packages.set(name, new Map([[version, { manifest: { name, version, dependencies, bin, engines, dist: { integrity, tarball: '' } }, file: kubeharden }]]));
  }
  if (missing.length > 0) return { missing: `npm's cache (${cache}) lacks ${missing.length} tarballs of the lockfile (${missing.slice(0, 5).join(', ')}…): run npm ci` };
  const sqliteBinary = join(PROJECT_ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

  let base = '';
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]!);
    if (path.startsWith('/prebuilds/') && path.endsWith('.tar.gz') && existsSync(sqliteBinary)) {
      // prebuild-install's layout: build/Release/<module>.node in a gzipped tar.
      const pack = tar.pack();
      pack.entry({ name: 'build/Release/better_sqlite3.node', mode: 0o755 }, readFileSync(sqliteBinary));
      pack.finalize();
      response.writeHead(200, { 'content-type': 'application/gzip' });
      pack.pipe(createGzip()).pipe(response);
      return;
    }
    const tarball = /^\/(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    if (tarball) {
      const version = packages.get(tarball[1]!)?.get(tarball[2]!);
      if (!version) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(readFileSync(version.file));
      return;
    }
    const versions = packages.get(path.slice(1));
    if (!versions) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const name = path.slice(1);
    const entries = [...versions.entries()].map(([version, { manifest }]) => {
      const file = `${name.split('/').pop()}-${version}.tgz`;
      return [version, { ...manifest, dist: { ...(manifest['dist'] as object), tarball: `${base}/${name}/-/${file}` } }];
    });
    const latest = entries.at(-1)![0] as string;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ name, 'dist-tags': { latest }, versions: Object.fromEntries(entries) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    env: { npm_config_better_sqlite3_binary_host: `${base}/prebuilds` },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
