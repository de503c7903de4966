import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { streamJsonListFile } from './json-list-stream.js';
import { streamYamlFile } from './yaml-stream.js';
import { describeReadError, readInputFile, readInputStream, standardInput, type ReadFileOptions } from './safe-read.js';
import { loadResources, type InputError, type LoadedResource } from './source.js';

/** One thing to read: a file, or standard input. */
export interface Input {
  /** Name shown in findings and errors. */
  readonly name: string;
  readonly preferJson: boolean;
  /** The path of a file that can be read again in parts (a large JSON List is streamed from it), if it is one. */
  readonly path?: string;
  read(): Promise<Uint8Array>;
  /**
   * Reads the objects itself instead of parsing `read()`'s bytes: a Helm chart or Kustomize overlay rendered by its
   * tool (src/render/), whose objects point back at the files that made them.
   */
  load?(errors: InputError[], early?: EarlyWork): Promise<Iterable<LoadedResource> | undefined>;
}

/**
 * What the scan may do with an object before its turn comes, while a rendering tool it came from is still exiting
 * (src/render/tools.ts, `ahead`): work that depends on the object alone and changes nothing, whose result the scan
 * takes when it reaches the object. Objects of output that is then not used (the tool failed, or wrote more) are
 * never reached, and their early work is dropped with them.
 */
export type EarlyWork = (resource: LoadedResource) => void;

/** What a directory with one of the UNRENDERED marker files is, and the marker found. */
export interface RenderableDirectory {
  readonly directory: string;
  readonly kind: 'kustomize' | 'helm';
  readonly marker: string;
}

export interface CollectOptions {
  /**
   * The input that renders a chart or overlay (src/render/), or undefined for one that is not rendered on its own
   * (a Helm library chart): then nothing in the folder is read. Without it such a folder is an error saying how to
   * render it by hand, as before rendering existed.
   */
  readonly render?: (found: RenderableDirectory) => Input | undefined;
  /** True for a path to leave out before it is read (`--exclude`, `exclude:`). */
  readonly exclude?: (path: string, isDirectory: boolean) => boolean;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const STDIN_NAME = '<stdin>';

/**
 * Folders whose files are not manifests as written: they must be rendered first (a later issue renders them).
 * Scanning them as loose YAML would judge Kustomize patches without their base and Helm templates as YAML.
 */
const UNRENDERED: readonly { readonly kind: RenderableDirectory['kind']; readonly files: readonly string[]; readonly message: (dir: string, file: string) => string }[] = [
  {
    kind: 'kustomize',
    files: ['kustomization.yaml', 'kustomization.yml', 'Kustomization'],
    message: (dir, file) => `is a Kustomize overlay (${file}) and was not rendered, so it was not scanned: render it and scan the result, kubectl kustomize ${dir} | kubeharden scan -`,
  },
  {
    kind: 'helm',
    files: ['Chart.yaml'],
    message: (dir, file) => `is a Helm chart (${file}) and was not rendered, so it was not scanned: render it and scan the result, helm template NAME ${dir} | kubeharden scan -`,
  },
];

/**
 * Expands the command-line paths: files as given (any extension), directories recursively (manifest
 * extensions only, skipping node_modules and hidden folders), `-` for standard input. Whatever cannot be read
 * (a missing path, a folder without permission, a dangling link, a Kustomize overlay or Helm chart, which would
 * need rendering) becomes an error naming it; everything else is still read.
 */
export async function collectInputs(paths: readonly string[], errors: InputError[], options: CollectOptions = {}): Promise<Input[]> {
  const inputs: Input[] = [];
  const seen = new Set<string>();
  const fail = (file: string, message: string) => errors.push({ file, line: null, column: null, message });
  for (const path of paths) {
    if (path === '-') {
      inputs.push({ name: STDIN_NAME, preferJson: false, read: () => readInputStream(standardInput(), 'manifest') });
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      fail(path, describeReadError(error));
      continue;
    }
    // A path given explicitly may be a pipe (`scan <(helm template ...)`), as `-` is; the read refuses devices.
    if (info.isDirectory()) await walk(path, { inputs, seen, fail, options, renderedOnly: false });
    else await addFile(path, inputs, seen, fail, { allowPipe: true });
  }
  return inputs;
}

type Fail = (file: string, message: string) => void;

interface Walk {
  readonly inputs: Input[];
  readonly seen: Set<string>;
  readonly fail: Fail;
  readonly options: CollectOptions;
  /**
   * Inside a rendered overlay: its files are the overlay's resources and patches, read by the tool, so only the
   * charts and overlays nested below it are looked for.
   */
  readonly renderedOnly: boolean;
}

async function walk(directory: string, state: Walk): Promise<void> {
  const { inputs, seen, fail, options } = state;
  let entries;
  try {
    const real = await realpath(directory);
    if (seen.has(real)) return; // symlink loop, or a folder reached twice
    seen.add(real);
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    fail(directory, `cannot read the folder: ${describeReadError(error)}`);
    return;
  }
  const names = new Set(entries.map((entry) => entry.name));
  let renderedOnly = state.renderedOnly;
  for (const kind of UNRENDERED) {
    const marker = kind.files.find((file) => names.has(file));
    if (marker === undefined) continue;
    if (!options.render) return void fail(directory, kind.message(directory, marker));
    const rendered = options.render({ directory, kind: kind.kind, marker });
    if (rendered) inputs.push(rendered);
    // A chart's templates and its charts/ (subcharts) are rendered with it: nothing below is read on its own.
    if (kind.kind === 'helm') return;
    renderedOnly = true;
    break;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(directory, entry.name);
    let isDirectory = entry.isDirectory();
    const isManifest = MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase());
    if (entry.isSymbolicLink()) {
      try {
        isDirectory = (await stat(path)).isDirectory();
      } catch (error) {
        // A link that leads nowhere may have been meant to bring in a folder of manifests: say so, never skip it.
        fail(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? `dangling symbolic link to ${await linkTarget(path)}` : describeReadError(error));
        continue;
      }
    }
    if (options.exclude?.(path, isDirectory)) continue;
    if (isDirectory) await walk(path, { ...state, renderedOnly });
    // Files found in a tree are read only when regular (checked at the read): a FIFO there would hang the scan.
    else if (isManifest && !renderedOnly) await addFile(path, inputs, seen, fail, { allowPipe: false });
  }
}

async function linkTarget(path: string): Promise<string> {
  try {
    return await readlink(path);
  } catch {
    return 'a missing file';
  }
}

async function addFile(path: string, inputs: Input[], seen: Set<string>, fail: Fail, options: ReadFileOptions): Promise<void> {
  let real;
  try {
    real = await realpath(path);
  } catch (error) {
    // /dev/fd/63 of a process substitution has no real path; anything else that fails here cannot be read either.
    if (!options.allowPipe) return void fail(path, `cannot read: ${describeReadError(error)}`);
    real = path;
  }
  if (seen.has(real)) return;
  seen.add(real);
  // A synchronous read is faster than a promise per small file, and the scan handles one file at a time anyway.
  inputs.push({ name: path, path, preferJson: extname(path).toLowerCase() === '.json', read: async () => readInputFile(path, 'manifest', options) });
}

/** The bytes of an input, or undefined after recording why it could not be read. */
export async function readInput(input: Input, errors: InputError[]): Promise<Uint8Array | undefined> {
  try {
    return await input.read();
  } catch (error) {
    errors.push({ file: input.name, line: null, column: null, message: `cannot read: ${describeReadError(error)}` });
    return undefined;
  }
}

/**
 * The objects of one input, or undefined after recording why it could not be read. A large JSON List file is
 * streamed item by item (json-list-stream.ts), a large YAML file document by document (yaml-stream.ts); everything
 * else (small files, standard input, what those two do not recognise) is read whole and split into documents.
 */
export async function loadInput(input: Input, errors: InputError[], early?: EarlyWork): Promise<Iterable<LoadedResource> | undefined> {
  if (input.load) return input.load(errors, early);
  if (input.path !== undefined) {
    const streamed = streamJsonListFile(input.path, input.name, input.preferJson, errors) ?? streamYamlFile(input.path, input.name, input.preferJson, errors);
    if (streamed) return streamed;
  }
  const bytes = await readInput(input, errors);
  return bytes === undefined ? undefined : loadResources(input.name, bytes, errors, input.preferJson);
}
