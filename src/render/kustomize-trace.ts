/**
 * Where a field of an object that `kustomize build` made was written. Kustomize's buildMetadata annotations say
 * which file an object came from (`config.kubernetes.io/origin`: its path, or the kustomization whose generator
 * made it) and which kustomization files patched it (`alpha.config.kubernetes.io/transformations`, which names the
 * kustomization but not the patch). So the patches of those kustomization files that target the object are read
 * here, and a field points at the last patch that writes it (a strategic-merge patch holding the field, or a
 * JSON6902 `add`/`replace` whose path is the field or holds it), else at the field (or its deepest existing part)
 * in the base document.
 */
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { FieldPath } from '../vocabulary/field-path.js';
import { array, isRecord, record, str, type Json } from '../util/object.js';
import { matchPath } from './field-match.js';
import type { SourceFiles, TextDocument } from './source-files.js';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

export interface Place {
  /** Absolute path of the file. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** What wrote an object: its base document (or generator entry), and the patches that apply to it, in order. */
export interface ObjectTrace {
  /** The file the object came from, absolute. */
  readonly file: string;
  position(object: Json, path: FieldPath): Place;
}

interface Contribution {
  readonly file: string;
  /** A strategic-merge patch (or the base) as a document, or a JSON6902 patch's operations. */
  readonly document: TextDocument;
  /** For a patch written inline in a kustomization file: the path of the patch text in that file's document. */
  readonly inlineAt?: FieldPath;
  readonly value: unknown;
}

const GENERATOR_LISTS: Readonly<Record<string, string>> = {
  ConfigMapGenerator: 'configMapGenerator',
  SecretGenerator: 'secretGenerator',
  HelmChartInflationGenerator: 'helmCharts',
};

/**
 * The trace of one rendered object, from its two annotations (already removed from the object); `buildRoot` is
 * the folder `kustomize build` ran on, which the annotations' paths are relative to. Only the annotations are read
 * here: the base and patch files are read, and the object's documents in them found, when a field's position is
 * first asked for, so an object without findings costs no file read (most objects of a large overlay).
 */
export function traceObject(object: Json, origin: string | undefined, transformations: string | undefined, buildRoot: string, files: SourceFiles): ObjectTrace | undefined {
  const originValue = record(safeLoad(origin));
  if (!originValue || originValue['repo'] !== undefined) return undefined;
  const path = str(originValue['path']);
  const configuredIn = str(originValue['configuredIn']);
  const fromFile = path !== undefined;
  if (!fromFile && configuredIn === undefined) return undefined;
  const baseFile = resolve(buildRoot, (path ?? configuredIn) as string);
  let traced: ((target: Json, fieldPath: FieldPath) => Place) | undefined;
  return {
    file: baseFile,
    position(target, fieldPath) {
      traced ??= contributions(object, originValue, fromFile, baseFile, transformations, buildRoot, files);
      return traced(target, fieldPath);
    },
  };
}

/** The object's base document (or generator entry) and the patches that wrote it, read now: where a field is. */
function contributions(object: Json, originValue: Json, fromFile: boolean, baseFile: string, transformations: string | undefined, buildRoot: string, files: SourceFiles): (target: Json, fieldPath: FieldPath) => Place {
  const kind = str(object['kind']) ?? '';
  const renderedName = str(record(object['metadata'])?.['name']) ?? '';
  const patches: Contribution[] = [];
  let base: Contribution | undefined;
  if (fromFile) {
    base = baseDocument(baseFile, kind, renderedName, files);
  } else {
    // A generated object (ConfigMap, Secret, a Helm chart's objects): every field points at its generator entry.
    const generator = ownString(GENERATOR_LISTS, str(record(originValue['configuredBy'])?.['kind']));
    const document = files.get(baseFile)?.documents[0];
    if (document && generator) base = { file: baseFile, document, value: undefined, inlineAt: [generator, generatorIndex(document.value, generator, renderedName, object)] };
  }
  const baseName = str(record(record(base?.value)?.['metadata'])?.['name']);
  const names = new Set([renderedName, ...(baseName === undefined ? [] : [baseName])]);
  const kustomizations = new Set<string>();
  for (const step of array(safeLoad(transformations))) {
    const by = str(record(record(step)?.['configuredBy'])?.['kind']) ?? '';
    const file = str(record(step)?.['configuredIn']);
    if (/Patch/.test(by) && file !== undefined) kustomizations.add(resolve(buildRoot, file));
  }
  for (const kustomization of kustomizations) patches.push(...patchesFor(kustomization, kind, names, object, files));
  return (target, fieldPath) => {
    for (const patch of [...patches].reverse()) {
      const place = patchPlace(patch, target, fieldPath);
      if (place) return place;
    }
    if (!base) return { file: baseFile, line: 1, column: 1 };
    if (base.inlineAt) return { file: base.file, ...base.document.locate(base.inlineAt) };
    return { file: base.file, ...base.document.locate(matchPath(target, base.value, fieldPath).path) };
  };
}

function safeLoad(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return yaml.load(text);
  } catch {
    return undefined;
  }
}

function ownString(table: Readonly<Record<string, string>>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The base file's document for this object: the first of its kind with its name, else the first of its kind whose
 * name the rendered name holds (a prefix or suffix added), else the first of its kind, else the first. A base file
 * holds many objects: only the documents whose text could hold the kind (and, at first, the name) are parsed.
 */
function baseDocument(file: string, kind: string, renderedName: string, files: SourceFiles): Contribution | undefined {
  const documents = files.get(file)?.documents ?? [];
  const nameOf = (document: TextDocument) => str(record(record(document.value)?.['metadata'])?.['name']);
  const ofKind = (document: TextDocument) => mayHold(document, kind) && record(document.value)?.['kind'] === kind;
  const document =
    documents.find((candidate) => mayHold(candidate, renderedName) && ofKind(candidate) && nameOf(candidate) === renderedName) ??
    documents.find((candidate) => {
      const name = ofKind(candidate) ? nameOf(candidate) : undefined;
      return name !== undefined && renderedName.includes(name);
    }) ??
    documents.find(ofKind) ??
    documents[0];
  return document ? { file, document, value: document.value } : undefined;
}

/**
 * Could the document's value hold this word (a kind, a name) as a whole string? A word without whitespace is
 * written as it is, whatever the quoting (a folded or multi-line scalar has whitespace where its lines join), so a
 * text without it and without a backslash escape cannot: that document need not be parsed to find out.
 */
function mayHold(document: TextDocument, word: string): boolean {
  if (word === '' || /\s/.test(word)) return true;
  const text = document.text;
  return text.includes(word) || text.includes('\\');
}

function generatorIndex(kustomization: unknown, list: string, renderedName: string, object: Json): number {
  const entries = array(record(kustomization)?.[list]);
  const chart = str(record(record(object['metadata'])?.['labels'])?.['helm.sh/chart']);
  const index = entries.findIndex((entry) => {
    const name = str(record(entry)?.['name']);
    return name !== undefined && (renderedName.includes(name) || (chart !== undefined && chart.startsWith(`${name}-`)));
  });
  return Math.max(0, index);
}

/** The patches of one kustomization file (patches, patchesStrategicMerge, patchesJson6902) that apply to the object. */
function patchesFor(kustomizationFile: string, kind: string, names: ReadonlySet<string>, object: Json, files: SourceFiles): Contribution[] {
  const kustomization = files.get(kustomizationFile)?.documents[0];
  const root = record(kustomization?.value);
  if (!kustomization || !root) return [];
  const folder = dirname(kustomizationFile);
  const found: Contribution[] = [];
  const add = (entry: unknown, at: FieldPath, target: Json | undefined) => {
    if (target && !targetMatches(target, kind, names, object)) return;
    const path = typeof entry === 'string' && !entry.includes('\n') ? entry : str(record(entry)?.['path']);
    if (path !== undefined) {
      const file = resolve(folder, path);
      for (const document of files.get(file)?.documents ?? []) {
        if (Array.isArray(document.value) ? target !== undefined : smpMatches(document.value, kind, names)) found.push({ file, document, value: document.value });
      }
      return;
    }
    const inline = typeof entry === 'string' ? entry : str(record(entry)?.['patch']);
    const value = safeLoad(inline);
    if (Array.isArray(value) ? target !== undefined : smpMatches(value, kind, names)) {
      found.push({ file: kustomizationFile, document: kustomization, value, inlineAt: typeof entry === 'string' ? at : [...at, 'patch'] });
    }
  };
  array(root['patches']).forEach((entry, index) => add(entry, ['patches', index], record(record(entry)?.['target'])));
  array(root['patchesStrategicMerge']).forEach((entry, index) => add(entry, ['patchesStrategicMerge', index], undefined));
  array(root['patchesJson6902']).forEach((entry, index) => add(entry, ['patchesJson6902', index], record(record(entry)?.['target']) ?? {}));
  return found;
}

function smpMatches(patch: unknown, kind: string, names: ReadonlySet<string>): boolean {
  const value = record(patch);
  if (!value) return false;
  const name = str(record(value['metadata'])?.['name']);
  return value['kind'] === kind && (name === undefined || names.has(name));
}

/** A patch target (kind, name as a regular expression, labelSelector of `key=value` terms) that picks the object. */
function targetMatches(target: Json, kind: string, names: ReadonlySet<string>, object: Json): boolean {
  const wanted = str(target['kind']);
  if (wanted !== undefined && !fullMatch(wanted, kind)) return false;
  const name = str(target['name']);
  if (name !== undefined && ![...names].some((candidate) => fullMatch(name, candidate))) return false;
  const selector = str(target['labelSelector']);
  if (selector !== undefined) {
    const labels = record(record(object['metadata'])?.['labels']) ?? {};
    for (const term of selector.split(',')) {
      const [key, value] = term.split('=').map((part) => part.trim());
      if (key && value !== undefined && labels[key] !== value) return false;
    }
  }
  return true;
}

function fullMatch(pattern: string, text: string): boolean {
  if (pattern === text) return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(text);
  } catch {
    return false;
  }
}

/** Where a patch writes the field, or undefined when it does not. */
function patchPlace(patch: Contribution, object: Json, path: FieldPath): Place | undefined {
  if (!Array.isArray(patch.value)) {
    const matched = matchPath(object, patch.value, path);
    if (!matched.complete) return undefined;
    return { file: patch.file, ...patch.document.locate([...(patch.inlineAt ?? []), ...(patch.inlineAt ? [] : matched.path)]) };
  }
  for (let index = patch.value.length - 1; index >= 0; index--) {
    const operation = record(patch.value[index]);
    const op = str(operation?.['op']);
    const pointer = str(operation?.['path']);
    if (!operation || (op !== 'add' && op !== 'replace') || pointer === undefined) continue;
    const opPath = pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (opPath.length > path.length || !opPath.every((part, at) => part === '-' || part === String(path[at]))) continue;
    const rest = path.slice(opPath.length);
    const within = valueAt(object, path.slice(0, opPath.length));
    const matched = matchPath(within, operation['value'], rest);
    if (!matched.complete) continue;
    const inPatch: FieldPath = [index, 'value', ...matched.path];
    return { file: patch.file, ...patch.document.locate(patch.inlineAt ?? inPatch) };
  }
  return undefined;
}

function valueAt(value: unknown, path: FieldPath): unknown {
  let here = value;
  for (const segment of path) {
    if (typeof segment === 'number') here = Array.isArray(here) ? here[segment] : undefined;
    else here = isRecord(here) ? here[segment] : undefined;
  }
  return here;
}
