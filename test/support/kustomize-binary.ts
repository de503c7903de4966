/** Typed access to scripts/build-kustomize.mjs, which builds the real kustomize the `fix --patches` test runs. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.js';

interface KustomizeModule {
  kustomizeBinary(): string | { missing: string };
}

const module = (await import(pathToFileURL(resolve(PROJECT_ROOT, 'scripts', 'build-kustomize.mjs')).href)) as KustomizeModule;

export function kustomizeBinary(): string | { missing: string } {
  return module.kustomizeBinary();
}
