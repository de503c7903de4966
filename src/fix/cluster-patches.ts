import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';
import type { ApiClient } from '../cluster/api-client.js';
import { allPages, startList } from '../cluster/lister.js';
import { judgedThroughOwner } from '../cluster/owned.js';
import { LISTED_KINDS, liveObjectFile, type ListedKind } from '../cluster/resource-kinds.js';
import type { Input } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import type { NotAssessed } from '../report/report.js';
import { isRecord } from '../util/object.js';
import { fixInputs, type FixOptions, type FixResult } from './fix-inputs.js';

/** One operation of an RFC 6902 JSON patch: fixes only add keys and items, or replace a value. */
export interface JsonPatchOp {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: unknown;
}

/** The patch of one live workload, fixed through itself (its Pods and ReplicaSets are fixed through it). */
export interface WorkloadPatch {
  /** `deployments.apps`, `pods`: what kubectl takes as the resource type, never ambiguous. */
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly ops: readonly JsonPatchOp[];
}

export interface ClusterPatches {
  readonly patches: readonly WorkloadPatch[];
  readonly result: FixResult;
  readonly notAssessed: readonly NotAssessed[];
}

export interface ClusterPatchOptions {
  readonly namespace?: string;
  readonly excludeNamespaces: readonly string[];
}

/**
 * Lists the kinds with a pod template (GET only), drops the objects a controller makes from its template (as
 * `cluster` does, owned.ts), fixes each object's YAML as `fix` fixes a file, and turns the change into a JSON patch.
 * The fix's re-scan still decides what counts as fixed, so the patches claim no more than the scan confirms.
 */
export async function clusterPatches(client: ApiClient, fixOptions: FixOptions, options: ClusterPatchOptions): Promise<ClusterPatches> {
  const templateKinds = LISTED_KINDS.filter((kind) => fixOptions.scan.templatePaths.pathFor(kind.apiVersion, kind.kind) !== undefined);
  const notAssessed: NotAssessed[] = [];
  const listed: { kind: ListedKind; objects: Record<string, unknown>[] }[] = [];
  for (const kind of templateKinds) {
    const outcome = await startList(client, kind, options.namespace);
    if (outcome.status === 'not-served') continue;
    if (outcome.status !== 'listed') {
      notAssessed.push({ what: `${kind.kind} (${kind.apiVersion})`, reason: outcome.reason });
      continue;
    }
    const { objects, stoppedBecause } = await allPages(outcome);
    if (stoppedBecause !== undefined) notAssessed.push({ what: `${kind.kind} (${kind.apiVersion})`, reason: `${stoppedBecause}; the objects listed before were fixed` });
    listed.push({ kind, objects });
  }
  const listedKinds = new Set(listed.map(({ kind }) => kind.kind));
  const excluded = new Set(options.excludeNamespaces);
  const originals = new Map<string, { kind: ListedKind; namespace: string | undefined; name: string; object: Record<string, unknown> }>();
  for (const { kind, objects } of listed) {
    for (const object of objects) {
      const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
      const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
      const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
      if (excluded.has(namespace ?? '') || judgedThroughOwner(object, listedKinds)) continue;
      // managedFields and status are the server's bookkeeping: no fix reads them, and they would only slow the scan.
      const { managedFields: _fields, ...kept } = metadata;
      const { status: _status, ...rest } = object;
      originals.set(liveObjectFile(kind, namespace, name), { kind, namespace, name, object: { ...rest, metadata: kept } });
    }
  }
  const inputs: Input[] = [...originals].map(([file, { object }]) => ({ name: file, preferJson: false, read: async () => Buffer.from(stringify(object), 'utf8') }));
  const errors: InputError[] = [];
  const result = await fixInputs(inputs, errors, fixOptions);
  const patches: WorkloadPatch[] = [];
  for (const file of result.files) {
    const live = originals.get(file.name);
    if (!live || file.fixed === file.original) continue;
    const ops: JsonPatchOp[] = [];
    jsonPatch(parse(file.original), parse(file.fixed), '', ops);
    if (ops.length === 0) continue;
    const group = live.kind.apiVersion.includes('/') ? live.kind.apiVersion.split('/')[0] : undefined;
    patches.push({ resource: group ? `${live.kind.plural}.${group}` : live.kind.plural, namespace: live.namespace, name: live.name, ops });
  }
  return { patches, result, notAssessed };
}

/** RFC 6901: `~` is written `~0` and `/` is written `~1` in a JSON pointer's token. */
export function pointerToken(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * The operations that turn `before` into `after`: new keys and new list items are added at the top-most new
 * path, changed scalars replaced; a mapping that lost keys or a list that shrank (no fix does either) is replaced whole.
 */
export function jsonPatch(before: unknown, after: unknown, path: string, ops: JsonPatchOp[]): void {
  if (isDeepStrictEqual(before, after)) return;
  if (isRecord(before) && isRecord(after) && Object.keys(before).every((key) => key in after)) {
    for (const [key, value] of Object.entries(after)) {
      const at = `${path}/${pointerToken(key)}`;
      if (key in before) jsonPatch(before[key], value, at, ops);
      else ops.push({ op: 'add', path: at, value });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && after.length >= before.length) {
    for (const [index, value] of after.entries()) {
      if (index < before.length) jsonPatch(before[index], value, `${path}/${index}`, ops);
      else ops.push({ op: 'add', path: `${path}/-`, value });
    }
    return;
  }
  ops.push({ op: 'replace', path, value: after });
}

/** A word as one POSIX shell argument. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `kubectl patch deployments.apps web -n shop --type=json -p '[...]'`, or with `--patch-file FILE`. */
export function kubectlCommand(patch: WorkloadPatch, patchFile?: string): string {
  const words = ['kubectl', 'patch', patch.resource, shellQuote(patch.name)];
  if (patch.namespace !== undefined) words.push('-n', shellQuote(patch.namespace));
  words.push('--type=json');
  if (patchFile !== undefined) words.push('--patch-file', shellQuote(patchFile));
  else words.push('-p', shellQuote(JSON.stringify(patch.ops)));
  return words.join(' ');
}
