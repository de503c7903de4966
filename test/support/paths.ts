import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (tests run from dist/test/...). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The read-only upstream data beside the project; KUBEHARDEN_SHARED may point elsewhere. */
export const SHARED_DIR = process.env.KUBEHARDEN_SHARED ?? resolve(PROJECT_ROOT, '..', 'shared');

export const SHARED_PRESENT = existsSync(SHARED_DIR);

/** `skip` option for tests that need ../shared: a clear reason when it is absent (a user's clone). */
export const needsShared: string | false = SHARED_PRESENT
  ? false
  : `../shared is not present at ${SHARED_DIR}; upstream conformance data is only available in the project workspace and CI`;

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

export const CLI = resolve(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
