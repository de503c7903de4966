/**
 * Loading OSV records from a directory of `*.json` files (any depth) or from OSV's per-ecosystem `all.zip` export
 * (read entry by entry with yauzl, never unpacked whole into memory). Every record is validated against the
 * schema; invalid files are reported and left out, withdrawn records are counted and left out.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';
import type { OsvRecord } from './record.js';
import { schemaProblems, type SchemaProblem } from './validate.js';

export interface LoadProblem {
  /** The file, or `archive.zip!entry.json`. */
  readonly source: string;
  readonly message: string;
}

export interface LoadedRecords {
  readonly records: OsvRecord[];
  readonly problems: LoadProblem[];
  /** Valid records left out because they carry `withdrawn`. */
  readonly withdrawn: string[];
}

export interface LoadOptions {
  /**
   * Schema violations to accept (the Kubernetes CVE feed's records name the ecosystem `kubernetes`, which the
   * schema's list lacks). Return true to ignore a violation.
   */
  readonly tolerate?: (problem: SchemaProblem, value: unknown) => boolean;
}

/** A record source: a name for messages and the file's text. */
interface RecordText {
  readonly source: string;
  readonly text: string;
}

function addRecord(into: LoadedRecords, entry: RecordText, options: LoadOptions): void {
  let value: unknown;
  try {
    value = JSON.parse(entry.text);
  } catch (error) {
    into.problems.push({ source: entry.source, message: `not JSON: ${(error as Error).message}` });
    return;
  }
  const problems = schemaProblems(value).filter((problem) => !options.tolerate?.(problem, value));
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).map((problem) => `${problem.path || '/'} ${problem.message}`);
    into.problems.push({ source: entry.source, message: `not a valid OSV record: ${shown.join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}` });
    return;
  }
  const record = value as OsvRecord;
  if (record.withdrawn !== undefined) into.withdrawn.push(record.id);
  else into.records.push(record);
}

async function* jsonFiles(directory: string): AsyncGenerator<string> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* jsonFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.json')) yield path;
  }
}

export async function loadOsvDirectory(directory: string, options: LoadOptions = {}): Promise<LoadedRecords> {
  const loaded: LoadedRecords = { records: [], problems: [], withdrawn: [] };
  for await (const path of jsonFiles(directory)) addRecord(loaded, { source: path, text: await readFile(path, 'utf8') }, options);
  return loaded;
}

/** The JSON entries of a zip archive, one at a time. */
async function* zipJsonEntries(path: string): AsyncGenerator<RecordText> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (next: yauzl.Entry): void => {
          zip.off('end', onEnd).off('error', onError);
          resolve(next);
        };
        const onEnd = (): void => {
          zip.off('entry', onEntry).off('error', onError);
          resolve(null);
        };
        const onError = (error: Error): void => {
          zip.off('entry', onEntry).off('end', onEnd);
          reject(error);
        };
        zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) continue;
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (error, read) => (error ? reject(error) : resolve(read))));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      yield { source: `${path}!${entry.fileName}`, text: Buffer.concat(chunks).toString('utf8') };
    }
  } finally {
    zip.close();
  }
}

export async function loadOsvZip(path: string, options: LoadOptions = {}): Promise<LoadedRecords> {
  const loaded: LoadedRecords = { records: [], problems: [], withdrawn: [] };
  for await (const entry of zipJsonEntries(path)) addRecord(loaded, entry, options);
  return loaded;
}

/** Loads a directory or an `all.zip`, whichever `path` is. */
export async function loadOsv(path: string, options: LoadOptions = {}): Promise<LoadedRecords> {
  return path.endsWith('.zip') ? loadOsvZip(path, options) : loadOsvDirectory(path, options);
}
