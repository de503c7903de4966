import type { ApiClient } from '../../cluster/api-client.js';
import { LiveObject, oneNamespace } from '../../cluster/cluster-scan.js';
import { allPages, startList, type ListOutcome } from '../../cluster/lister.js';
import { judgedThroughOwner } from '../../cluster/owned.js';
import { LISTED_KINDS, liveObjectFile, type ListedKind } from '../../cluster/resource-kinds.js';
import { podTemplateOf, type TemplatePaths } from '../../kube/pod-templates.js';
import { loadInput, type Input } from '../../loader/inputs.js';
import type { InputError, LoadedResource } from '../../loader/source.js';
import type { NotAssessed } from '../../report/report.js';
import { isRecord, stringOf } from '../../util/object.js';
import type { PlanInput, PlanWorkload } from './plan.js';

/** Gathers workloads and Namespace objects from resources as they stream by. */
class PlanInputBuilder {
  readonly workloads: PlanWorkload[] = [];
  readonly namespaces = new Map<string, Record<string, string>>();

  constructor(private readonly templatePaths: TemplatePaths) {}

  add(resource: LoadedResource, file: string): void {
    const { object } = resource;
    const apiVersion = String(object['apiVersion']);
    const kind = String(object['kind']);
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : typeof metadata['generateName'] === 'string' ? metadata['generateName'] : '';
    if (apiVersion === 'v1' && kind === 'Namespace') {
      const labels = isRecord(metadata['labels']) ? metadata['labels'] : {};
      this.namespaces.set(name, Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, stringOf(value)])));
      return;
    }
    const path = this.templatePaths.pathFor(apiVersion, kind);
    if (path === undefined || podTemplateOf(object, path) === undefined) return;
    // As kubectl applies a manifest without a namespace: into the default namespace (unless told -n).
    const namespace = typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '' ? metadata['namespace'] : 'default';
    this.workloads.push({ apiVersion, kind, name, namespace, file, resource });
  }

  result(): PlanInput {
    return { workloads: this.workloads, namespaces: this.namespaces };
  }
}

/** Every workload and Namespace object of manifest files; what cannot be read goes to `errors`. */
export async function manifestPlanInput(inputs: readonly Input[], errors: InputError[], templatePaths: TemplatePaths): Promise<PlanInput> {
  const builder = new PlanInputBuilder(templatePaths);
  for (const input of inputs) {
    const resources = await loadInput(input, errors);
    for (const resource of resources ?? []) builder.add(resource, resource.document.file);
  }
  return builder.result();
}

/** Only the namespace asked for (`-n`), without the excluded ones, as `--cluster` reads them. */
export function selectNamespaces(input: PlanInput, options: { readonly namespace?: string; readonly excludeNamespaces: readonly string[] }): PlanInput {
  const keep = (name: string) => (options.namespace === undefined || name === options.namespace) && !options.excludeNamespaces.includes(name);
  return { workloads: input.workloads.filter((workload) => keep(workload.namespace)), namespaces: new Map([...input.namespaces].filter(([name]) => keep(name))) };
}

export interface ClusterPlanInput {
  readonly input: PlanInput;
  readonly notAssessed: readonly NotAssessed[];
}

/**
 * The live cluster's Namespaces and workloads, with GET requests only. Pods and ReplicaSets made from a template
 * are judged through their owner (as `kubeharden cluster` does): the template is what the next rollout creates.
 */
export async function clusterPlanInput(client: ApiClient, templatePaths: TemplatePaths, options: { readonly namespace?: string; readonly excludeNamespaces: readonly string[] }): Promise<ClusterPlanInput> {
  const kinds = LISTED_KINDS.filter((kind) => kind.kind === 'Namespace' || templatePaths.pathFor(kind.apiVersion, kind.kind) !== undefined);
  const outcomes: { kind: ListedKind; outcome: ListOutcome }[] = await Promise.all(
    kinds.map(async (kind) => ({
      kind,
      outcome: kind.kind === 'Namespace' && options.namespace !== undefined ? await oneNamespace(client, options.namespace) : await startList(client, kind, options.namespace),
    })),
  );
  const notAssessed: NotAssessed[] = [];
  const listed = new Map<ListedKind, Record<string, unknown>[]>();
  for (const { kind, outcome } of outcomes) {
    if (outcome.status === 'not-served') continue;
    if (outcome.status !== 'listed') {
      notAssessed.push({ what: `${kind.kind} (${kind.apiVersion})`, reason: outcome.reason });
      continue;
    }
    const { objects, stoppedBecause } = await allPages(outcome);
    if (stoppedBecause !== undefined) notAssessed.push({ what: `${kind.kind} (${kind.apiVersion})`, reason: `${stoppedBecause}; the objects listed before were judged` });
    listed.set(kind, objects);
  }
  const listedKinds = new Set([...listed.keys()].map((kind) => kind.kind));
  const excluded = new Set(options.excludeNamespaces);
  const builder = new PlanInputBuilder(templatePaths);
  for (const [kind, objects] of listed) {
    for (const object of objects) {
      const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
      const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
      const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
      if (excluded.has(namespace ?? (kind.kind === 'Namespace' ? name : '')) || judgedThroughOwner(object, listedKinds)) continue;
      const file = liveObjectFile(kind, namespace, name);
      builder.add({ object, prefix: [], document: new LiveObject(file) }, file);
    }
  }
  return { input: builder.result(), notAssessed };
}
