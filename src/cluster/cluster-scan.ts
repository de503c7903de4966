import type { ComponentConfig, RunningRelease } from '../components/component-config.js';
import { FlagSet } from '../components/flags.js';
import { kubeletComponent } from '../components/kubelet.js';
import { releaseComponent } from '../components/release.js';
import { CONTROLS } from '../controls/index.js';
import { scanResources, type ScanOptions, type ScanResult } from '../scan/scan.js';
import type { InputError, LoadedResource, ResourceDocument } from '../loader/source.js';
import type { NotAssessed } from '../report/report.js';
import { isRecord } from '../util/object.js';
import type { ApiClient } from './api-client.js';
import { parseObject, startList, type ListOutcome } from './lister.js';
import { judgedThroughOwner } from './owned.js';
import { LISTED_KINDS, liveObjectFile, type ListedKind } from './resource-kinds.js';

export interface ClusterScanOptions {
  /** Only this namespace (`--namespace`); undefined: every namespace. */
  readonly namespace?: string;
  readonly excludeNamespaces: readonly string[];
  /** `--probe-anonymous`: send requests without credentials and judge the answers. */
  readonly probeAnonymous: boolean;
  /** `--kubelet-configz`: read each node's kubelet configuration through nodes/proxy. */
  readonly kubeletConfigz: boolean;
  /** The server's version (its /version) and the day its support is judged on. */
  readonly release?: RunningRelease;
  readonly onProgress?: (objects: number, kindsDone: number, kindsTotal: number) => void;
}

export interface ClusterScan {
  readonly result: ScanResult;
  readonly notAssessed: NotAssessed[];
  /** Objects not judged on their own because their owner's template was (a Deployment's Pods). */
  readonly judgedThroughOwner: number;
}

/** Kinds that namespace-level controls need: without any of them, those controls cannot tell a gap from a blind spot. */
const NAMESPACE_OBJECT_KINDS = new Set(['Namespace', 'NetworkPolicy', 'LimitRange', 'ResourceQuota', 'ServiceAccount']);
const RBAC_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** A live object has no file: findings point at its API path and have no line. */
export class LiveObject implements ResourceDocument {
  constructor(readonly file: string) {}
  position(): { line: number; column: number } {
    return { line: 0, column: 0 };
  }
  templateSource(): undefined {
    return undefined;
  }
}

/** The server's version string (`v1.37.2`), read with the scan's own credentials. */
export async function serverVersion(client: ApiClient): Promise<string> {
  const response = await client.get('/version');
  if (response.status !== 200) throw new Error(`GET /version: HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
  const body = JSON.parse(response.body.toString('utf8')) as { gitVersion?: unknown };
  if (typeof body.gitVersion !== 'string') throw new Error('GET /version: no gitVersion in the answer');
  return body.gitVersion;
}

export async function scanCluster(client: ApiClient, scanOptions: ScanOptions, options: ClusterScanOptions): Promise<ClusterScan> {
  const notAssessed: NotAssessed[] = [];
  const errors: InputError[] = [];
  let objects = 0;
  let kindsDone = 0;
  const outcomes = await Promise.all(
    LISTED_KINDS.map(async (kind) => {
      const outcome = kind.kind === 'Namespace' && options.namespace !== undefined ? await oneNamespace(client, options.namespace) : await startList(client, kind, options.namespace);
      return { kind, outcome };
    }),
  );
  const listed = outcomes.filter((entry): entry is { kind: ListedKind; outcome: Extract<ListOutcome, { status: 'listed' }> } => entry.outcome.status === 'listed');
  for (const { kind, outcome } of outcomes) {
    if (outcome.status === 'denied' || outcome.status === 'failed') notAssessed.push({ what: `${kind.kind} (${kind.apiVersion})`, reason: outcome.reason });
  }
  const listedKinds = new Set(listed.map(({ kind }) => kind.kind));
  const unreadable = new Set(outcomes.filter(({ outcome }) => outcome.status === 'denied' || outcome.status === 'failed').map(({ kind }) => kind.kind));
  const excluded = excludedControls(listedKinds, unreadable);
  const excludeNamespaces = new Set(options.excludeNamespaces);
  let skippedOwned = 0;
  let requests = 0;

  const toResources = (kind: ListedKind, items: Record<string, unknown>[]): LoadedResource[] => {
    requests++;
    const resources: LoadedResource[] = [];
    for (const object of items) {
      const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
      const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
      const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
      if (excludeNamespaces.has(namespace ?? (kind.kind === 'Namespace' ? name : ''))) continue;
      if (judgedThroughOwner(object, listedKinds)) {
        skippedOwned++;
        continue;
      }
      resources.push({ object, prefix: [], document: new LiveObject(liveObjectFile(kind, namespace, name)) });
    }
    objects += resources.length;
    return resources;
  };

  async function* batches(): AsyncGenerator<LoadedResource[]> {
    for (const { kind, outcome } of listed) {
      yield toResources(kind, outcome.first);
      try {
        for await (const page of outcome.next()) yield toResources(kind, page);
      } catch (error) {
        notAssessed.push({ what: `${kind.kind} (${kind.apiVersion})`, reason: `${(error as Error).message}; the objects listed before were judged` });
      }
      kindsDone++;
      options.onProgress?.(objects, kindsDone, listed.length);
    }
  }

  const extra: ComponentConfig[] = [];
  if (options.release) {
    extra.push(releaseComponent({ apiVersion: 'v1', kind: 'Cluster', namespace: null, name: client.serverName }, { file: 'cluster:/version', field: 'gitVersion' }, options.release));
  }
  if (options.probeAnonymous) extra.push(await anonymousEndpoint(client));
  if (options.kubeletConfigz) extra.push(...(await kubeletConfigs(client, notAssessed)));

  const result = await scanResources(
    batches(),
    errors,
    {
      ...scanOptions,
      components: { extra },
      excluded: mergeExcluded(scanOptions.excluded, excluded, options),
      searchedIn: 'in the cluster',
      // A kind that could not be read hides objects: then nothing missing may be taken as absent from the cluster.
      ...(unreadable.size === 0 ? { clusterView: { namespace: options.namespace, excluded: options.excludeNamespaces } } : {}),
    },
    () => requests,
  );
  return { result, notAssessed, judgedThroughOwner: skippedOwned };
}

export async function oneNamespace(client: ApiClient, namespace: string): Promise<ListOutcome> {
  const response = await client.get(`/api/v1/namespaces/${encodeURIComponent(namespace)}`);
  if (response.status === 401 || response.status === 403) return { status: 'denied', reason: `HTTP ${response.status} reading namespace ${namespace}` };
  if (response.status !== 200) return { status: 'failed', reason: `HTTP ${response.status} reading namespace ${namespace}` };
  const object = parseObject(response.body);
  if (!object) return { status: 'failed', reason: `the answer for namespace ${namespace} is not an object` };
  return { status: 'listed', first: [object], next: async function* () {} };
}

/** Controls that would misjudge the cluster because a kind they need could not be listed. */
export function excludedControls(listedKinds: ReadonlySet<string>, unreadable: ReadonlySet<string>): Map<string, string> {
  const excluded = new Map<string, string>();

  const missingNamespaceKinds = [...NAMESPACE_OBJECT_KINDS].filter((kind) => !listedKinds.has(kind));
  const missingRbac = [...RBAC_KINDS].filter((kind) => !listedKinds.has(kind));
  for (const control of CONTROLS) {
    const missing = [
      ...(control.scope === 'inventory' && control.needsNamespaceObjects ? missingNamespaceKinds : []),
      ...(control.scope === 'inventory' ? (control.needsCluster?.kinds ?? []).filter((kind) => !listedKinds.has(kind)) : []),
      ...(control.scope === 'inventory' ? (control.needsReadable ?? []).filter((kind) => unreadable.has(kind)) : []),
    ];
    if (missing.length > 0) excluded.set(control.meta.id, `not assessed: the credentials may not list ${[...new Set(missing)].join(', ')}`);
    if (missingRbac.length > 0 && control.meta.id.startsWith('RBAC-')) {
      excluded.set(control.meta.id, `not assessed: the credentials may not list ${missingRbac.join(', ')}`);
    }
  }
  return excluded;
}

export function mergeExcluded(base: ReadonlyMap<string, string> | undefined, more: ReadonlyMap<string, string>, options: ClusterScanOptions): Map<string, string> {
  const merged = new Map([...(base ?? []), ...more]);
  // A cluster's Secrets hold values by design, and the scan lists them as metadata only: nothing to judge.
  merged.set('SEC-NO-SECRET-IN-MANIFEST', 'manifests only: Secrets in a cluster hold values by design (listed as metadata only)');
  const partial = options.namespace !== undefined ? `--namespace ${options.namespace}` : options.excludeNamespaces.length > 0 ? '--exclude-namespaces' : undefined;
  for (const control of CONTROLS) {
    // A log shipper or the API server may run in a namespace the scan leaves out: not seeing it is not its absence.
    if (partial && control.scope === 'inventory' && control.needsCluster) {
      merged.set(control.meta.id, `not assessed: ${partial} leaves out the DaemonSets and control-plane pods of other namespaces`);
    }
    if (control.scope !== 'component') continue;
    if (control.components.includes('host')) {
      merged.set(control.meta.id, 'host files: the API does not show them; run kubeharden node on the hosts');
    } else if (control.components.includes('kubelet') && !options.kubeletConfigz) {
      merged.set(control.meta.id, 'kubelet configuration not read: add --kubelet-configz (needs get on nodes/proxy, which the shipped reader role does not grant)');
    }
  }
  return merged;
}

/** What the API server answers without credentials; no answer at all is status 0 (the probe is then not assessed). */
async function anonymousEndpoint(client: ApiClient): Promise<ComponentConfig> {
  const status = async (path: string) => (await client.get(path, 'application/json', true).catch(() => ({ status: 0 }))).status;
  const version = await status('/version');
  const namespaces = await status('/api/v1/namespaces?limit=1');
  const file = `cluster:${client.serverName}`;
  return {
    component: 'api-endpoint',
    resource: { apiVersion: 'v1', kind: 'Endpoint', namespace: null, name: client.server.host },
    flags: new FlagSet([]),
    anonymousProbe: { version, namespaces },
    locate: () => ({ location: { file, line: 0, column: 0 }, field: 'request without credentials' }),
  };
}

const NODE_KIND: ListedKind = { kind: 'Node', apiVersion: 'v1', plural: 'nodes', namespaced: false, metadataOnly: true };

/** Each node's kubelet configuration, from `GET /api/v1/nodes/NAME/proxy/configz`. */
async function kubeletConfigs(client: ApiClient, notAssessed: NotAssessed[]): Promise<ComponentConfig[]> {
  // Paged like every list: a cluster of 5,000 nodes is one bounded answer per 500.
  const listing = await startList(client, NODE_KIND, undefined);
  if (listing.status !== 'listed') {
    notAssessed.push({ what: 'kubelet configuration', reason: `listing nodes: ${listing.status === 'not-served' ? 'not served' : listing.reason}` });
    return [];
  }
  const nodes = [...listing.first];
  try {
    for await (const page of listing.next()) nodes.push(...page);
  } catch (error) {
    notAssessed.push({ what: 'kubelet configuration', reason: `listing nodes: ${(error as Error).message}; the nodes listed before were read` });
  }
  const names = nodes
    .map((node) => (isRecord(node['metadata']) ? node['metadata']['name'] : undefined))
    .filter((name): name is string => typeof name === 'string');
  const configs = await Promise.all(
    names.map(async (name) => {
      const path = `/api/v1/nodes/${encodeURIComponent(name)}/proxy/configz`;
      let response;
      try {
        response = await client.get(path);
      } catch (error) {
        notAssessed.push({ what: `kubelet on node ${name}`, reason: (error as Error).message });
        return undefined;
      }
      if (response.status !== 200) {
        notAssessed.push({ what: `kubelet on node ${name}`, reason: `GET ${path}: HTTP ${response.status}` });
        return undefined;
      }
      const object = parseObject(response.body)?.['kubeletconfig'];
      if (!isRecord(object)) {
        notAssessed.push({ what: `kubelet on node ${name}`, reason: `GET ${path}: no kubeletconfig in the answer` });
        return undefined;
      }
      const document = new LiveObject(`cluster:${path}`);
      return kubeletComponent({
        name,
        flags: new FlagSet([]),
        flagLocation: () => ({ file: document.file, line: 0, column: 0 }),
        config: { object, document, prefix: [] },
      });
    }),
  );
  return configs.filter((config): config is ComponentConfig => config !== undefined);
}
