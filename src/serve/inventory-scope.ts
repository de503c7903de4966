/**
 * What each non-RBAC inventory (cross-resource) control reads, so `kubeharden serve` re-runs only what a change can
 * affect (src/serve/live-cluster.ts):
 *
 * - **Namespace-local controls** judge each namespace from its own objects alone (its Namespace object, workloads,
 *   NetworkPolicies, Services, Ingresses, ServiceAccounts, LimitRanges, ResourceQuotas). They run per namespace, over
 *   an inventory of that namespace, and their results are kept per namespace. Why each is local:
 *   - NET-DEFAULT-DENY-INGRESS/-EGRESS, NET-WORKLOAD-ISOLATED: a NetworkPolicy selects pods of its own namespace
 *     only (`policiesFor` adds cluster-wide Cilium policies: see `narrowable` below);
 *   - NET-NAMESPACE-OPEN-TO-OTHERS, NET-REACHABLE-FROM-ALL-NAMESPACES, NET-EGRESS-INTERNET-METADATA: they ask
 *     whether a pod is isolated, what its selecting policies' rules allow by port, `namespaceSelector: {}` and
 *     ipBlocks towards addresses outside the cluster — all from the policies of the pod's namespace
 *     (netpol/engine.ts `selectingPolicies`, `ruleConnectionId`, `externalConnections`); they never resolve a
 *     peer selector against other namespaces;
 *   - NET-POLICY-SELECTS-NOTHING: a policy's own podSelector picks pods of its namespace (a cluster-wide Cilium
 *     policy's endpointSelector is judged against every pod: see `narrowable`);
 *   - RES-LIMITRANGE, RES-RESOURCEQUOTA, SA-MISSING-SERVICE-ACCOUNT, POD-SA-TOKEN-NOT-AUTOMOUNTED: counts and
 *     ServiceAccounts of the namespace;
 *   - ADDON-NO-DASHBOARD, ADDON-NO-TILLER: the add-on's container, and the Services and Ingresses of its namespace
 *     that expose it.
 *
 *   Their subjects and assessed counts fall in one namespace each, so the sum over namespaces is the whole.
 * - **Cluster-wide controls** read across namespaces, and run over the whole inventory:
 *   - NET-POLICY-PEER-SELECTS-NOTHING: a peer's namespaceSelector picks namespaces by their labels, then pods in
 *     them by theirs;
 *   - NET-POD-TRAFFIC-ENCRYPTED: the same peers, ipBlocks that may hold other namespaces' pods, the mesh-wide
 *     PeerAuthentication in istio-system and the CNI's configuration;
 *   - LOG-NODE-SHIPPER, LOG-AUDIT-OFF-NODE: every Node, every log shipper DaemonSet, the control-plane pods.
 *
 *   Any inventory control not named here is treated as cluster-wide: narrowing must be shown safe, not assumed.
 *   They run again only when a change alters what they read (`clusterWideInput`): turning a container privileged
 *   or changing a pod's service account leaves it equal; a label, a port, a new workload or a Namespace's labels
 *   do not.
 * - Likewise a namespace's controls run again only when a change alters what the inventory reads from one of its
 *   objects (`namespaceInput`, derived by logging the inventory's reads): a status update (a rollout's replica
 *   counts, every few seconds on a busy cluster), a privileged container or a resource limit does not. They run in
 *   two groups, by the part of the inventory they read (`InventoryFacet`): the network controls over the network
 *   model and policies, the others over service accounts, token mounting, add-ons, counts and exposure. Each part
 *   has its own read log, so turning token mounting off runs the second group alone, and a container port the
 *   first alone.
 */
import { createHash } from 'node:crypto';
import type { ListedKind } from '../cluster/resource-kinds.js';
import type { ScannedComponent } from '../engine/types.js';
import type { InlineException } from '../exceptions/exception-set.js';
import { shipperTemplate } from '../kube/log-shippers.js';
import { nodeFacts } from '../kube/node-scheduling.js';
import type { PodTemplateRef } from '../kube/pod-templates.js';
import { cniEncryptionOf, isPeerAuthentication, parsePeerAuthentication, podMeshOf } from '../kube/transit-encryption.js';
import { networkEssentials } from '../netpol/model.js';
import { Inventory, type InventoryFacet, type NetworkEssentials } from '../engine/inventory.js';
import type { LoadedResource } from '../loader/source.js';
import { record } from '../util/object.js';

/**
 * The namespace-local controls, each with the part of a namespace's inventory it reads (engine/inventory.ts
 * `InventoryFacet`): a namespace's controls run in two groups, each over an inventory of its part alone, and each
 * group runs again only when a change moves what its part reads.
 */
export const NAMESPACE_LOCAL_CONTROLS: ReadonlyMap<string, InventoryFacet> = new Map<string, InventoryFacet>([
  ['NET-DEFAULT-DENY-INGRESS', 'network'],
  ['NET-DEFAULT-DENY-EGRESS', 'network'],
  ['NET-WORKLOAD-ISOLATED', 'network'],
  ['NET-NAMESPACE-OPEN-TO-OTHERS', 'network'],
  ['NET-REACHABLE-FROM-ALL-NAMESPACES', 'network'],
  ['NET-EGRESS-INTERNET-METADATA', 'network'],
  ['NET-POLICY-SELECTS-NOTHING', 'network'],
  ['RES-LIMITRANGE', 'workloads'],
  ['RES-RESOURCEQUOTA', 'workloads'],
  ['SA-MISSING-SERVICE-ACCOUNT', 'workloads'],
  ['POD-SA-TOKEN-NOT-AUTOMOUNTED', 'workloads'],
  ['ADDON-NO-DASHBOARD', 'workloads'],
  ['ADDON-NO-TILLER', 'workloads'],
]);

/** The parts of a namespace's inventory, in the order a namespace's groups run. */
export const FACETS: readonly InventoryFacet[] = ['network', 'workloads'];

/**
 * A CiliumClusterwideNetworkPolicy applies to every namespace (default deny, isolation) and its endpointSelector
 * is judged against every pod: while one exists, the namespace-local controls are not local, and every inventory
 * control runs over the whole inventory.
 */
export const BREAKS_NAMESPACE_LOCALITY = 'CiliumClusterwideNetworkPolicy';

/** Kinds whose objects feed no cluster-wide control unless they carry CNI configuration. */
const ONLY_AS_CNI = new Set(['ConfigMap', 'Secret', 'Ingress']);

/**
 * A digest of everything the cluster-wide controls read from one object, as the inventory takes it
 * (engine/inventory.ts `add`): its network essentials (labels, a policy's spec, ports, host network, pod IPs,
 * owners), its pod template's mesh labels and containers, a log shipper's scheduling, CNI encryption, a Node's
 * labels and taints, a Service's selector, a PeerAuthentication, a Namespace's labels and annotations, the
 * control-plane component it runs, and its ignore annotation. Its presence counts too (a namespace's first object,
 * a custom resource that may run pods). `''` for an object they do not read at all. Equal digests before and after
 * a change: the cluster-wide controls' results stand.
 */
export function clusterWideInput(
  kind: ListedKind,
  object: Record<string, unknown>,
  template: PodTemplateRef | undefined,
  components: readonly ScannedComponent[],
  inline: InlineException | undefined,
  essentials: NetworkEssentials = networkEssentials(object, template),
): string {
  const cni = cniEncryptionOf(object);
  if (!template && ONLY_AS_CNI.has(kind.kind) && cni === undefined) return '';
  const metadata = record(object['metadata']) ?? {};
  const apiVersion = String(object['apiVersion']);
  const read = {
    essentials: essentials.object,
    mesh: template ? podMeshOf(template.metadata, template.spec) : undefined,
    shipper: template && kind.kind === 'DaemonSet' ? shipperTemplate(template.spec) : undefined,
    cni,
    node: kind.kind === 'Node' ? nodeFacts(object) : undefined,
    namespace: kind.kind === 'Namespace' ? { labels: metadata['labels'], annotations: metadata['annotations'] } : undefined,
    selector: kind.kind === 'Service' ? record(object['spec'])?.['selector'] : undefined,
    peerAuthentication: isPeerAuthentication(apiVersion, kind.kind) ? parsePeerAuthentication(object, 'default') : undefined,
    cilium: kind.kind.startsWith('Cilium') ? { spec: object['spec'], specs: object['specs'] } : undefined,
    // A control-plane pod's component is read from its command and flags: the whole spec, to be safe (they rarely change).
    components: components.length > 0 ? { spec: object['spec'], labels: metadata['labels'], annotations: metadata['annotations'] } : undefined,
    inline,
  };
  return createHash('sha1').update(kind.kind).update('\u0000').update(JSON.stringify(read)).digest('base64');
}

/**
 * A digest of what one part of a namespace's inventory reads from one object, derived rather than listed: the object is added
 * to an inventory of its own through a proxy that logs every read (each property's path, a value's type, the keys
 * enumerated), and the digest is that log's. The inventory controls read nothing but the inventory (and the
 * control-plane components, whose whole object is taken), so equal logs before and after a change mean equal
 * inventories and equal results: a privileged container, resources, probes or an annotation the inventory never
 * looks at leave the namespace's results standing, while a label, a port, a service account or token mounting do
 * not. `Inventory.add` reads more of an object on a fresh inventory than on a full one (`firstUse ??=`), never less,
 * and it keeps copies, never references into the object (engine/inventory.ts: summaries outlive the document), so
 * every read the controls depend on happens inside `add` and is in the log. test/serve/live-cluster.test.ts
 * compares the result with a judgement from scratch after random changes: a read the log missed fails it.
 */
export function namespaceInput(resource: LoadedResource, template: PodTemplateRef | undefined, components: readonly ScannedComponent[], inline: InlineException | undefined, facet: InventoryFacet): string {
  const log: string[] = [];
  const object = traced(resource.object, '', log) as Record<string, unknown>;
  const tracedTemplate = template && { ...template, metadata: at(object, template.metadataPath), spec: at(object, template.specPath) };
  new Inventory('in the cluster', undefined, facet).add({ ...resource, object }, tracedTemplate);
  const hash = createHash('sha1').update(log.join('\n')).update('\u0000').update(JSON.stringify(inline ?? null));
  // A control-plane pod's component is read from its command and flags: the whole object, to be safe.
  if (components.length > 0) hash.update('\u0000').update(JSON.stringify(resource.object));
  return hash.digest('base64');
}

/** The value at a path of a (traced) object, reading it as the inventory would. */
function at(object: Record<string, unknown>, path: readonly (string | number)[]): Record<string, unknown> {
  let value: unknown = object;
  for (const key of path) value = (value as Record<string | number, unknown>)[key];
  return value as Record<string, unknown>;
}

/**
 * `value` behind a proxy that appends each read to `log`: a property's path with its value (or its type, for an
 * object, whose own reads follow), the keys enumerated, the `in` tests. Objects from JSON only: no getters, no
 * prototypes of their own.
 */
function traced(value: unknown, path: string, log: string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const children = new Map<PropertyKey, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key === 'symbol' || (Array.isArray(target) && !Object.hasOwn(target, key) && key !== 'length')) return child;
      const childPath = `${path}/${key}`;
      if (typeof child !== 'object' || child === null) {
        log.push(`${childPath}=${typeof child === 'function' ? 'function' : JSON.stringify(child) ?? 'undefined'}`);
        return child;
      }
      if (!children.has(key)) {
        log.push(`${childPath}:${Array.isArray(child) ? 'array' : 'object'}`);
        children.set(key, traced(child, childPath, log));
      }
      return children.get(key);
    },
    has(target, key) {
      const found = Reflect.has(target, key);
      if (typeof key !== 'symbol') log.push(`${path}/${key}?${found}`);
      return found;
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      log.push(`${path}#${JSON.stringify(keys.filter((key) => typeof key === 'string'))}`);
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      if (typeof key !== 'symbol') log.push(`${path}/${key}!${descriptor === undefined ? 'absent' : 'own'}`);
      return descriptor;
    },
  });
}
