import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import type { Reachability } from '../../netpol/engine.js';
import { endpointName } from '../../netpol/model.js';
import { describePolicy, type Policy } from '../../netpol/policy.js';
import { selectsEverything } from '../../kube/label-selector.js';
import { judgeIsolatedEndpoints } from './reachability-subjects.js';

export const meta: ControlMeta = {
  id: 'NET-REACHABLE-FROM-ALL-NAMESPACES',
  title: 'Workloads must not accept traffic from every namespace',
  rationale:
    'A workload whose ingress admits pods of any namespace (no ingress policy at all, a rule without peers, or a ' +
    'namespaceSelector of {}) can be reached by a compromised pod anywhere in the cluster, including namespaces ' +
    'created later. The guide asks to allow only the traffic each application needs.',
  nsaSection: 'Network separation and hardening › Network policies',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Select the workload with a NetworkPolicy whose ingress rules name the namespaces (by kubernetes.io/metadata.name) and pods that need it.',
    snippet:
      'spec:\n  podSelector:\n    matchLabels:\n      app: orders\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: shop\n      podSelector:\n        matchLabels:\n          app: storefront\n',
  },
  references: {},
  frameworks: ['nsa'],
};

/** Why pods of every namespace may open connections to this endpoint, or undefined when some are kept out. */
export function openToAllNamespaces(reachability: Reachability, endpoint: number): string | undefined {
  if (!reachability.isGoverned(endpoint)) return 'it uses the host network, which NetworkPolicy does not govern';
  const policies = reachability.selectingPolicies(endpoint, 'Ingress');
  if (policies.length === 0) return 'no NetworkPolicy selects it for Ingress';
  for (const policyIndex of policies) {
    const policy = reachability.policies[policyIndex] as Policy;
    for (const rule of policy.ingress) {
      if (reachability.ruleConnectionId(policyIndex, 'Ingress', rule, endpoint) === 0) continue;
      if (rule.peers === null) return `${describePolicy(policy)} ingress[${rule.index}] allows any source`;
      const peer = rule.peers.find((candidate) => candidate.kind === 'pods' && candidate.namespaceSelector !== null && selectsEverything(candidate.namespaceSelector));
      if (peer) return `${describePolicy(policy)} ingress[${rule.index}] has namespaceSelector: {}`;
    }
  }
  return undefined;
}

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  check: (inventory) =>
    judgeIsolatedEndpoints(inventory, 'Ingress', (reachability, index, endpoint) => {
      const reason = openToAllNamespaces(reachability, index);
      return reason && `pods of every namespace can connect to ${endpointName(endpoint)}: ${reason}`;
    }),
};
