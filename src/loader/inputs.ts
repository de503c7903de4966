import { readFileSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { InputError } from './source.js';

/** One thing to read: a file, or standard input. */
export interface Input {
  /** Name shown in findings and errors. */
  readonly name: string;
  readonly preferJson: boolean;
  read(): Promise<Uint8Array>;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const STDIN_NAME = '<stdin>';

/**
 * Expands the command-line paths: files as given (any extension), directories recursively (manifest
 * extensions only, skipping node_modules and hidden folders), `-` for standard input. Paths that do not
 * exist become errors; the rest still run.
 */
export async function collectInputs(paths: readonly string[], errors: InputError[]): Promise<Input[]> {
  const inputs: Input[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === '-') {
      inputs.push({ name: STDIN_NAME, preferJson: false, read: readStdin });
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      errors.push({ file: path, line: null, column: null, message: describeFsError(error) });
      continue;
    }
    if (info.isDirectory()) await walk(path, inputs, seen, errors);
    else addFile(path, inputs, seen, await realpath(path));
  }
  return inputs;
}

async function walk(directory: string, inputs: Input[], seen: Set<string>, errors: InputError[]): Promise<void> {
  const real = await realpath(directory);
  if (seen.has(real)) return; // symlink loop
  seen.add(real);
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    errors.push({ file: directory, line: null, column: null, message: describeFsError(error) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(directory, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDirectory) await walk(path, inputs, seen, errors);
    else if (isFile && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) addFile(path, inputs, seen, await realpath(path));
  }
}

function addFile(path: string, inputs: Input[], seen: Set<string>, real: string): void {
  if (seen.has(real)) return;
  seen.add(real);
  // A synchronous read is faster than a promise per small file, and the scan handles one file at a time anyway.
  inputs.push({ name: path, preferJson: extname(path).toLowerCase() === '.json', read: async () => readFileSync(path) });
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}

/** The bytes of an input, or undefined after recording why it could not be read. */
export async function readInput(input: Input, errors: InputError[]): Promise<Uint8Array | undefined> {
  try {
    return await input.read();
  } catch (error) {
    errors.push({ file: input.name, line: null, column: null, message: `cannot read: ${describeFsError(error)}` });
    return undefined;
  }
}
