/**
 * The inputs of a scan with charts and overlays rendered: the loader's walk, with each folder holding Chart.yaml
 * or a kustomization file turned into one rendered input. An overlay's referenced files (bases, patches,
 * generator files, its helmCharts) and the overlays it uses are rendered with it, so they are not read again on
 * their own; a Component is rendered only by the overlays that use it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { collectInputs, type EarlyWork, type Input, type RenderableDirectory } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import { portablePath } from '../exceptions/fingerprint.js';
import { array, record, str, type Json } from '../util/object.js';
import type { HelmValues } from './helm.js';
import type { RenderContext } from './kustomize.js';
import { SourceFiles } from './source-files.js';
import type { RenderTools } from './tools.js';

export interface RenderOptions extends RenderTools, HelmValues {
  readonly onRendered?: RenderContext['onRendered'];
}

export interface CollectScanOptions {
  readonly render: RenderOptions;
  readonly exclude?: (path: string, isDirectory: boolean) => boolean;
  /** Receives what is left out on purpose (a Helm library chart), for the report to list; never an error. */
  readonly notices?: InputError[];
}

/**
 * A library chart (`type: library`) has no manifests of its own and `helm template` refuses it; its templates are
 * judged where they are used, in the charts that depend on it. So it is not rendered, and not read as YAML.
 */
export const LIBRARY_CHART_NOTICE = 'Helm library chart (type: library): not rendered on its own, as helm cannot; its templates are scanned in the charts that depend on it';

export async function collectScanInputs(paths: readonly string[], errors: InputError[], options: CollectScanOptions): Promise<Input[]> {
  // Every field's position names its file this way: worked out once per file, not once per field.
  const displayed = new Map<string, string>();
  const display = (absolute: string): string => {
    let shown = displayed.get(absolute);
    if (shown === undefined) displayed.set(absolute, (shown = portablePath(absolute)));
    return shown;
  };
  const context: RenderContext = {
    tools: options.render,
    files: new SourceFiles(),
    display,
    ...(options.render.onRendered ? { onRendered: options.render.onRendered } : {}),
  };
  const rendered = new Map<Input, RenderableDirectory>();
  const render = (found: RenderableDirectory): Input | undefined => {
    if (found.kind === 'helm' && isLibraryChart(join(found.directory, found.marker))) {
      options.notices?.push({ file: found.directory, line: null, column: null, message: LIBRARY_CHART_NOTICE });
      return undefined;
    }
    const input: Input = {
      name: found.directory,
      preferJson: false,
      read: () => Promise.reject(new Error(`${found.directory} is rendered by ${found.kind}, not read as a file`)),
      // The renderers load with the first chart or overlay: a scan of plain files does not need them.
      load: async (loadErrors: InputError[], early?: EarlyWork) =>
        found.kind === 'helm'
          ? (await import('./helm.js')).renderChart(found.directory, options.render, context, loadErrors, early)
          : (await import('./kustomize.js')).renderOverlay(found.directory, context, loadErrors, early),
    };
    rendered.set(input, found);
    return input;
  };
  const inputs = await collectInputs(paths, errors, { render, ...(options.exclude ? { exclude: options.exclude } : {}) });
  const used = new Set<string>();
  const components = new Set<Input>();
  for (const [input, found] of rendered) {
    if (found.kind !== 'kustomize') continue;
    const kustomization = readYamlRecord(join(found.directory, found.marker));
    if (kustomization?.['kind'] === 'Component') components.add(input);
    for (const path of referencedPaths(kustomization, resolve(found.directory))) used.add(path);
  }
  return inputs.filter((input) => {
    if (components.has(input)) return false;
    const found = rendered.get(input);
    const path = found ? found.directory : input.path;
    return path === undefined || !used.has(resolve(path));
  });
}

/**
 * A Chart.yaml that cannot be read is rendered all the same: helm then says what is wrong with it. Most charts are
 * not libraries: a file without the word (nor an escape that could spell it) is not parsed.
 */
function isLibraryChart(chartFile: string): boolean {
  const text = readText(chartFile);
  return text !== undefined && /library|\\/.test(text) && parseYamlRecord(text)?.['type'] === 'library';
}

function readYamlRecord(file: string): Json | undefined {
  const text = readText(file);
  return text === undefined ? undefined : parseYamlRecord(text);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parseYamlRecord(text: string): Json | undefined {
  try {
    return record(yaml.load(text));
  } catch {
    return undefined;
  }
}

/** Every local file and folder a kustomization names, absolute. */
function referencedPaths(kustomization: Json | undefined, folder: string): string[] {
  if (!kustomization) return [];
  const paths: string[] = [];
  const add = (path: string | undefined) => {
    // Remote bases (URLs, git references) are not in the tree.
    if (path === undefined || path.includes('\n') || /^[a-z+]+:\/\/|^git@|^github\.com\//.test(path)) return;
    paths.push(resolve(folder, path));
  };
  for (const key of ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge']) for (const entry of array(kustomization[key])) add(str(entry));
  for (const key of ['patches', 'patchesJson6902']) for (const entry of array(kustomization[key])) add(str(record(entry)?.['path']));
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    for (const entry of array(kustomization[key])) {
      for (const file of [...array(record(entry)?.['files']), ...array(record(entry)?.['envs'])]) {
        const text = str(file);
        add(text?.includes('=') ? text.slice(text.indexOf('=') + 1) : text);
      }
      add(str(record(entry)?.['env']));
    }
  }
  const helmGlobals = record(kustomization['helmGlobals']);
  const chartHome = str(helmGlobals?.['chartHome']) ?? 'charts';
  for (const entry of array(kustomization['helmCharts'])) {
    const name = str(record(entry)?.['name']);
    if (name !== undefined) add(join(chartHome, name));
    add(str(record(entry)?.['valuesFile']));
  }
  // A kustomization that names a file inside a referenced folder's kustomization is reached through it as well.
  return paths.filter((path) => existsSync(path) || existsSync(dirname(path)));
}
