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
 *   objects (`namespaceInput`): a status update (a rollout's replica counts, every few seconds on a busy cluster)
 *   does not.
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
import { record } from '../util/object.js';

export const NAMESPACE_LOCAL_CONTROLS: ReadonlySet<string> = new Set([
  'NET-DEFAULT-DENY-INGRESS',
  'NET-DEFAULT-DENY-EGRESS',
  'NET-WORKLOAD-ISOLATED',
  'NET-NAMESPACE-OPEN-TO-OTHERS',
  'NET-REACHABLE-FROM-ALL-NAMESPACES',
  'NET-EGRESS-INTERNET-METADATA',
  'NET-POLICY-SELECTS-NOTHING',
  'RES-LIMITRANGE',
  'RES-RESOURCEQUOTA',
  'SA-MISSING-SERVICE-ACCOUNT',
  'POD-SA-TOKEN-NOT-AUTOMOUNTED',
  'ADDON-NO-DASHBOARD',
  'ADDON-NO-TILLER',
]);

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
): string {
  const cni = cniEncryptionOf(object);
  if (!template && ONLY_AS_CNI.has(kind.kind) && cni === undefined) return '';
  const metadata = record(object['metadata']) ?? {};
  const apiVersion = String(object['apiVersion']);
  const read = {
    essentials: networkEssentials(object, template).object,
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
 * A digest of what the inventory can read from one object of a namespace: the object without its status and
 * server bookkeeping (resourceVersion, managedFields, generation), the pod IPs the network model reads from a Pod's
 * status, and its ignore annotation. Equal digests before and after a change: the namespace's results stand.
 */
export function namespaceInput(object: Record<string, unknown>, template: PodTemplateRef | undefined, inline: InlineException | undefined): string {
  const { status: _status, metadata, ...rest } = object;
  const { resourceVersion: _version, managedFields: _fields, generation: _generation, ...kept } = record(metadata) ?? {};
  const read = { rest, metadata: kept, essentials: networkEssentials(object, template).object, inline };
  return createHash('sha1').update(JSON.stringify(read)).digest('base64');
}
