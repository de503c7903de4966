/**
 * The objects `images` and `vuln` read: from manifests (files, directories, `-`) or from the cluster of a
 * kubeconfig (read-only lists of the kinds asked for). Unreadable input becomes `errors`; the rest is still read.
 */
import type { ApiClient } from '../cluster/api-client.js';
import { startList } from '../cluster/lister.js';
import { LISTED_KINDS } from '../cluster/resource-kinds.js';
import { collectInputs, loadInput } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import type { WorkloadObject } from '../vuln/workload-images.js';
import { connectToCluster } from './cluster-command.js';

export interface ClusterSource {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly allowAuthProviderCommands?: boolean;
}

export async function objectsFromPaths(paths: readonly string[], errors: InputError[]): Promise<WorkloadObject[]> {
  const objects: WorkloadObject[] = [];
  for (const input of await collectInputs(paths, errors)) {
    for (const resource of (await loadInput(input, errors)) ?? []) objects.push({ object: resource.object, file: resource.document.file, position: (path) => resource.document.position([...resource.prefix, ...path]) });
  }
  return objects;
}

/** The API client of a kubeconfig (a kubeconfig or credential problem is a usage error). */
export function connectClusterSource(source: ClusterSource): Promise<ApiClient> {
  return connectToCluster({
    ...(source.kubeconfig !== undefined ? { kubeconfig: source.kubeconfig } : {}),
    ...(source.context !== undefined ? { context: source.context } : {}),
    timeoutMs: 30_000,
    concurrency: 4,
    allowAuthProviderCommands: source.allowAuthProviderCommands ?? false,
  });
}

/** Lists `kinds` (never Secrets' data: those are listed as metadata only, if asked for at all). */
export async function objectsFromCluster(source: ClusterSource, kinds: readonly string[], errors: InputError[]): Promise<WorkloadObject[]> {
  return listClusterObjects(await connectClusterSource(source), kinds, errors);
}

/** Lists `kinds` through a client already connected. */
export async function listClusterObjects(client: ApiClient, kinds: readonly string[], errors: InputError[]): Promise<WorkloadObject[]> {
  const objects: WorkloadObject[] = [];
  for (const kind of LISTED_KINDS.filter((candidate) => kinds.includes(candidate.kind))) {
    const file = `cluster:${kind.plural}`;
    const outcome = await startList(client, kind, undefined);
    if (outcome.status !== 'listed') {
      if (outcome.status !== 'not-served') errors.push({ file, line: null, column: null, message: `cannot list ${kind.plural}: ${outcome.reason}` });
      continue;
    }
    for (const object of outcome.first) objects.push({ object, file });
    try {
      for await (const page of outcome.next()) for (const object of page) objects.push({ object, file });
    } catch (error) {
      errors.push({ file, line: null, column: null, message: `${(error as Error).message}; the objects listed before were used` });
    }
  }
  return objects;
}

/** The kinds whose pod templates name images. */
export const WORKLOAD_KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];
