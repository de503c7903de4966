/**
 * Typed access to scripts/build-go-tool.mjs, which builds the real upstream tools the tests run (kustomize, helm,
 * an OCI registry, …) from the Go modules pinned under test/go-tools/<name>/.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.js';

interface GoToolModule {
  goToolBinary(name: string): string | { missing: string };
}

const module = (await import(pathToFileURL(resolve(PROJECT_ROOT, 'scripts', 'build-go-tool.mjs')).href)) as GoToolModule;

/** The built binary of test/go-tools/<name>, or { missing } saying why there is none (the test skips with it). */
export function goToolBinary(name: string): string | { missing: string } {
  return module.goToolBinary(name);
}
