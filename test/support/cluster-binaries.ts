/** Typed access to scripts/cluster-binaries.mjs, which the build script and the tests share. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.js';

interface BinariesModule {
  clusterBinDir(): string | { missing: string };
}

const binaries = (await import(pathToFileURL(resolve(PROJECT_ROOT, 'scripts', 'cluster-binaries.mjs')).href)) as BinariesModule;

export function clusterBinDir(): string | { missing: string } {
  return binaries.clusterBinDir();
}
