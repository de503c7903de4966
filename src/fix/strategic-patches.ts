import { isDeepStrictEqual } from 'node:util';
import { loadAll } from 'js-yaml';
import { stringify } from 'yaml';
import type { FixedFile } from './fix-inputs.js';

/**
 * Kustomize strategic-merge patches for what `fix` changed: rendered Helm or Kustomize output is regenerated on every
 * release, so the fixes are kept as an overlay instead of edits. Each patch is the fixed object cut down to the
 * fields the fixes changed, plus the apiVersion, kind, name and namespace that say which object it applies to.
 */
export interface StrategicPatch {
  /** File name inside the patches folder. */
  readonly file: string;
  readonly text: string;
}

export interface PatchSet {
  readonly patches: readonly StrategicPatch[];
  /** Objects that changed but cannot be addressed by a patch, with the reason. */
  readonly unpatchable: readonly string[];
}

/** kustomize and kubectl read YAML 1.1, where `on`, `yes` and `y` are booleans: written so, such strings are quoted. */
const YAML_1_1 = { version: '1.1' } as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * The merge key of each list the fixes write into (Kubernetes' `patchMergeKey`): items are matched by it, so a patch
 * names only the container (or volume, mount) it changes. Lists without one are replaced whole, as strategic merge does.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
};

/** One patch per object the fixes changed, in input order. */
export function strategicPatches(files: readonly FixedFile[]): PatchSet {
  const patches: StrategicPatch[] = [];
  const unpatchable: string[] = [];
  const taken = new Set<string>();
  for (const file of files) {
    if (file.fixed === file.original) continue;
    const before = loadAll(file.original) as Json[];
    const after = loadAll(file.fixed) as Json[];
    after.forEach((fixed, index) => {
      const original = before[index];
      if (!isObject(fixed) || !isObject(original) || isDeepStrictEqual(original, fixed)) return;
      const identity = identityOf(fixed);
      if (typeof identity === 'string') {
        unpatchable.push(`${file.name} document ${index + 1}: ${identity}`);
        return;
      }
      const changes = objectChanges(original, fixed) ?? {};
      const patch = mergeInto(identity, changes);
      patches.push({ file: uniqueName(patchFileName(identity), taken), text: stringify(patch, YAML_1_1) });
    });
  }
  return { patches, unpatchable };
}

/** The kustomization that lists the rendered input as its resource and applies every patch to it. */
export function kustomizationText(resource: string, patches: readonly StrategicPatch[]): string {
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [resource],
    patches: patches.map((patch) => ({ path: patch.file })),
  };
  return `# Written by kubeharden fix --patches: the fixes of ${resource} as strategic-merge patches.\n${stringify(kustomization, YAML_1_1)}`;
}

/** apiVersion, kind, name and namespace of an object, or why it has none a patch could name. */
function identityOf(object: JsonObject): JsonObject | string {
  const metadata = object['metadata'];
  const name = isObject(metadata) ? metadata['name'] : undefined;
  if (typeof object['apiVersion'] !== 'string' || typeof object['kind'] !== 'string') return 'no apiVersion or kind';
  if (typeof name !== 'string' || name === '') return `${object['kind']} has no metadata.name (generateName cannot be patched)`;
  const namespace = isObject(metadata) ? metadata['namespace'] : undefined;
  return {
    apiVersion: object['apiVersion'],
    kind: object['kind'],
    metadata: { name, ...(typeof namespace === 'string' ? { namespace } : {}) },
  };
}

/** The fields of `after` that differ from `before` (null for a removed key), or undefined when nothing differs. */
function objectChanges(before: JsonObject, after: JsonObject): JsonObject | undefined {
  const changes: JsonObject = {};
  for (const [key, value] of Object.entries(after)) {
    const change = key in before ? valueChanges(before[key] as Json, value, MERGE_KEYS[key]) : value;
    if (change !== undefined) changes[key] = change;
  }
  for (const key of Object.keys(before)) if (!(key in after)) changes[key] = null;
  return Object.keys(changes).length > 0 ? changes : undefined;
}

function valueChanges(before: Json, after: Json, mergeKey: string | undefined): Json | undefined {
  if (isDeepStrictEqual(before, after)) return undefined;
  if (isObject(before) && isObject(after)) return objectChanges(before, after);
  if (Array.isArray(before) && Array.isArray(after) && mergeKey !== undefined) return keyedListChanges(before, after, mergeKey) ?? after;
  return after;
}

/**
 * The changed and added items of a list merged by `mergeKey`, each with its key; undefined when items lack the key
 * or repeat it (the caller then replaces the list whole). Items are never removed by a fix.
 */
function keyedListChanges(before: Json[], after: Json[], mergeKey: string): Json[] | undefined {
  const keyOf = (item: Json) => (isObject(item) ? item[mergeKey] : undefined);
  const keys = after.map(keyOf);
  if (keys.some((key) => key === undefined || key === null) || new Set(keys).size !== keys.length) return undefined;
  const changed: Json[] = [];
  for (const item of after as JsonObject[]) {
    const original = before.find((candidate) => isDeepStrictEqual(keyOf(candidate), item[mergeKey]));
    if (original === undefined) changed.push(item);
    else if (isObject(original)) {
      const change = objectChanges(original, item);
      if (change !== undefined) changed.push({ [mergeKey]: item[mergeKey] as Json, ...change });
    } else return undefined;
  }
  return changed;
}

/** The identity with the changes laid over it (changes to metadata keep the name and namespace). */
function mergeInto(identity: JsonObject, changes: JsonObject): JsonObject {
  const { apiVersion: _apiVersion, kind: _kind, metadata: changedMetadata, ...rest } = changes;
  const metadata = { ...(identity['metadata'] as JsonObject), ...(isObject(changedMetadata) ? changedMetadata : {}) };
  return { apiVersion: identity['apiVersion'] as Json, kind: identity['kind'] as Json, metadata, ...rest };
}

function patchFileName(identity: JsonObject): string {
  const metadata = identity['metadata'] as JsonObject;
  const parts = [identity['kind'], metadata['namespace'], metadata['name']].filter((part): part is string => typeof part === 'string');
  return parts.map((part) => part.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')).join('-');
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = `${base}.yaml`;
  for (let count = 2; taken.has(name); count += 1) name = `${base}-${count}.yaml`;
  taken.add(name);
  return name;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
