import { podMeshIn, type Inventory } from '../../engine/inventory.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import type { Subject } from '../../vocabulary/finding.js';
import { effectiveMtls, meshOf } from '../../kube/transit-encryption.js';
import type { Reachability } from '../../netpol/engine.js';
import { endpointName, type Endpoint } from '../../netpol/model.js';
import type { Policy } from '../../netpol/policy.js';
import { judgedNamespaces } from './namespace-findings.js';
import { SelectorKnowledge } from './selector-knowledge.js';

export const meta: ControlMeta = {
  id: 'NET-POD-TRAFFIC-ENCRYPTED',
  title: 'Services reachable from other namespaces must not take plaintext traffic',
  rationale:
    'The guide asks that network communications be properly encrypted. Pod-to-pod traffic is plaintext unless ' +
    'a service mesh enforces mutual TLS or the CNI encrypts it between nodes. A Service whose pods other ' +
    'namespaces can reach (no ingress policy, or a rule admitting other namespaces) is judged: its pods pass when ' +
    'the CNI encrypts all pod traffic (Cilium `enable-wireguard` or `enable-ipsec` in the cilium-config ConfigMap, ' +
    'Calico `wireguardEnabled` in the default FelixConfiguration), when they are in Istio (sidecar or ambient) and ' +
    'the PeerAuthentication that applies to them is STRICT (workload over namespace over the mesh-wide one in ' +
    'istio-system; PERMISSIVE, the default, and DISABLE accept plaintext, as do ports a workload policy opens), or ' +
    'when Linkerd injects them (its mTLS is on for meshed pods; it still accepts plaintext from unmeshed clients ' +
    'unless the default inbound policy requires authentication, which this control does not read). Manifests ' +
    'rarely carry the CNI configuration, so they are assessed only when the input shows a mesh or CNI at all; a ' +
    'live cluster is always assessed.',
  nsaSection: 'Network separation and hardening › Encryption (pod-to-pod traffic: service mesh mTLS or CNI encryption)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Enforce mTLS for the namespace (Istio PeerAuthentication STRICT, Linkerd injection) or turn on the CNI\'s encryption (Cilium WireGuard/IPsec, Calico WireGuard).',
    snippet: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system   # mesh-wide; or the namespace itself\nspec:\n  mtls:\n    mode: STRICT\n',
  },
  references: {},
  frameworks: ['nsa'],
};

/**
 * Can pods of another namespace open a connection to this endpoint? Yes when no ingress policy isolates it (or it
 * uses the host network), or when a selecting policy has a rule that allows any source, names namespaces other
 * than its own (or namespaces by labels the input cannot pin down), or an ipBlock holding another namespace's pod.
 */
function reachableFromOtherNamespaces(knowledge: SelectorKnowledge, reachability: Reachability, index: number): boolean {
  const endpoint = reachability.endpoints.at(index) as Endpoint;
  const policies = reachability.selectingPolicies(index, 'Ingress');
  if (!reachability.isGoverned(index) || policies.length === 0) return true;
  for (const policyIndex of policies) {
    const policy = reachability.policies[policyIndex] as Policy;
    for (const rule of policy.ingress) {
      if (reachability.ruleConnectionId(policyIndex, 'Ingress', rule, index) === 0) continue;
      if (rule.peers === null) return true;
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock') {
          if (reachability.peerEndpoints(policy, peer).some((other) => reachability.endpoints.at(other)?.namespace !== endpoint.namespace)) return true;
          continue;
        }
        if (peer.namespaceSelector === null) continue;
        const namespaces = knowledge.namespacesOf(peer.namespaceSelector);
        if (!namespaces.complete || namespaces.names.some((name) => name !== endpoint.namespace)) return true;
      }
    }
  }
  return false;
}

/** Why traffic to this endpoint may be plaintext, or undefined when a mesh in strict mTLS protects it. */
function plaintextReason(inventory: Inventory, endpoint: Endpoint): string | undefined {
  const transit = inventory.transit;
  const origin = endpoint.origin;
  const pod = origin ? podMeshIn(transit, origin.namespace, origin.kind, origin.name) : undefined;
  const mesh = pod ? meshOf(pod, transit.namespaces.get(endpoint.namespace)) : undefined;
  if (mesh === undefined) return `${endpointName(endpoint)} is in no service mesh`;
  if (mesh === 'linkerd') return undefined;
  const mtls = effectiveMtls(transit.peerAuthentications, endpoint.namespace, endpoint.labels);
  const how = mesh === 'istio' ? 'Istio sidecar' : 'Istio ambient';
  if (mtls.mode !== 'STRICT') return `${endpointName(endpoint)} (${how}) has mTLS ${mtls.mode} from ${mtls.source}`;
  if (mtls.plaintextPorts.length > 0) return `${endpointName(endpoint)} (${how}) is STRICT but takes plaintext on port ${mtls.plaintextPorts.join(', ')}`;
  return undefined;
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

function atMost(count: number, items: readonly string[], separator = ', '): string {
  return items.slice(0, count).join(separator) + (items.length > count ? `${separator}and ${items.length - count} more` : '');
}

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  // The namespaces' injection labels and annotations decide mesh membership: without them every pod looks unmeshed.
  needsNamespaceObjects: true,
  // The kinds that show how pod traffic is encrypted: unreadable, they would make an encrypted cluster look plaintext.
  needsReadable: ['ConfigMap', 'DaemonSet', 'PeerAuthentication', 'FelixConfiguration'],
  *check(inventory, context) {
    const transit = inventory.transit;
    if (!transit.shown && inventory.clusterView === undefined) return 0;
    const knowledge = new SelectorKnowledge(inventory, context.version);
    const reachability = knowledge.reachability;
    const exposed = new Map<string, { services: Set<string>; endpoints: Set<number> }>();
    const assessedNamespaces = new Set<string>();
    for (const service of inventory.services) {
      if (!service.selector) continue;
      const pods = reachability.index.podsIn(service.namespace, { matchLabels: service.selector });
      if (pods.length === 0) continue;
      assessedNamespaces.add(service.namespace);
      const open = pods.filter((index) => reachableFromOtherNamespaces(knowledge, reachability, index));
      if (open.length === 0) continue;
      const entry = exposed.get(service.namespace) ?? { services: new Set<string>(), endpoints: new Set<number>() };
      entry.services.add(service.name);
      for (const index of open) entry.endpoints.add(index);
      exposed.set(service.namespace, entry);
    }
    const encryptingCni = transit.cni.find((cni) => cni.encryption !== undefined);
    if (encryptingCni) return assessedNamespaces.size;
    const cniText =
      transit.cni.length > 0
        ? `${[...new Set(transit.cni.map((cni) => cni.cni))].join(', ')} without encryption`
        : `no CNI encryption ${inventory.searched} (cilium-config, FelixConfiguration)`;
    const subjects = new Map<string, Subject>();
    for (const { entry, subject } of judgedNamespaces(inventory)) {
      const name = entry.name ?? 'default';
      if (!subjects.has(name)) subjects.set(name, subject);
    }
    for (const [namespace, { services, endpoints }] of exposed) {
      const subject = subjects.get(namespace);
      if (!subject) continue;
      const reasons = [...endpoints].flatMap((index) => plaintextReason(inventory, reachability.endpoints.at(index) as Endpoint) ?? []);
      if (reasons.length === 0) continue;
      yield {
        subject,
        message: `${plural(services.size, 'Service')} ${atMost(5, [...services])} of namespace ${namespace} can be reached from other namespaces in plaintext: ${atMost(5, reasons, '; ')}; ${cniText}`,
        about: `Namespace/${namespace}`,
      };
    }
    return assessedNamespaces.size;
  },
};
