/** Files the commands write (`--output FILE`, fixed copies, patches): the folder made if missing, a failure a usage error (exit 2). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './usage-error.js';

/** Writes `text` to `file`, making its folder; one that cannot be written is `cannot write FILE: why`. */
export function writeTextFile(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** Writes `text` to `file`, or to standard output when there is no file. */
export function writeOutput(file: string | undefined, text: string): void {
  if (file === undefined) process.stdout.write(text);
  else writeTextFile(file, text);
}
