/**
 * Temporary folders for tests that are always removed: after the test that asks for one (given its context), or
 * when the test file's process exits (for a folder a whole file shares). scripts/run-tests.mjs fails the run when
 * anything is left in the tests' TMPDIR, so a test that makes its own folder must remove it too.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

const pending = new Set<string>();

/** Gives the owner access to every folder below `dir` again (tests take it away to make input unreadable). */
function restoreAccess(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) restoreAccess(join(dir, entry.name));
}

function remove(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    restoreAccess(dir); // EACCES: a test made a folder below unreadable or unwritable
    rmSync(dir, { recursive: true, force: true });
  }
  pending.delete(dir);
}

// Each test file runs in its own process: whatever is still pending when it exits (a folder the whole file shares,
// or one of a test that was cancelled before its after hook) goes then. Never throw from here: the run's own
// check reports what is left.
process.on('exit', () => {
  for (const dir of pending) {
    try {
      remove(dir);
    } catch {
      // left for scripts/run-tests.mjs to name
    }
  }
});

/** A fresh folder `<tmpdir>/kubeharden-<name>-XXXXXX`, removed after `context`'s test, or when the test file exits. */
export function tempDir(name: string, context?: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), `kubeharden-${name}-`));
  pending.add(dir);
  context?.after(() => remove(dir));
  return dir;
}
