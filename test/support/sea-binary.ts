/**
 * Typed access to scripts/build-binary.mjs: the single executable (Node SEA) of the CLI and its release archive,
 * built from the current dist/src once and cached under .cache/sea/<inputs hash>/.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './paths.js';

export interface SeaBinary {
  /** The executable. */
  readonly binary: string;
  /** `kubeharden-<platform>.tar.gz`, the archive krew installs, holding only the executable. */
  readonly archive: string;
  readonly sha256: string;
}

interface BuildBinaryModule {
  cachedBinary(): Promise<SeaBinary | { missing: string }>;
  platformName(): string;
}

const module = (await import(pathToFileURL(resolve(PROJECT_ROOT, 'scripts', 'build-binary.mjs')).href)) as BuildBinaryModule;

/** The built binary, or { missing } saying why it cannot be built here (the test skips with it). */
export function seaBinary(): Promise<SeaBinary | { missing: string }> {
  return module.cachedBinary();
}

/** This machine's release platform name: linux-x64, darwin-arm64, windows-x64, … */
export const PLATFORM = module.platformName();
