import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { endpointName } from '../../netpol/model.js';
import { judgedNamespaces } from './namespace-findings.js';

/** Workloads named in a finding's message; the others are counted. */
const SHOWN = 5;

export const meta: ControlMeta = {
  id: 'NET-NAMESPACE-OPEN-TO-OTHERS',
  title: 'Pods must not be reachable from other namespaces unless a policy allows it',
  rationale:
    'Namespaces are the guide\'s unit of separation, but they do not separate traffic by themselves: until a ' +
    'NetworkPolicy isolates a pod for ingress, every pod of every other namespace can connect to it. Cross-namespace ' +
    'traffic should exist only where a policy deliberately allows it.',
  nsaSection: 'Network separation and hardening › Namespaces; Network policies',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add a default-deny ingress NetworkPolicy to the namespace and allow cross-namespace traffic explicitly with namespaceSelector rules.',
    snippet: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  *check(inventory) {
    const reachability = inventory.reachability();
    // Per namespace, how many workloads are open and the names of the first few (the message shows five: a
    // namespace of 4,000 Pods needs no list of 4,000 names).
    const open = new Map<string, { count: number; shown: string[] }>();
    reachability.endpoints.forEach((endpoint, index) => {
      // Host-network pods are outside policy altogether; NET-REACHABLE-FROM-ALL-NAMESPACES reports them.
      if (!reachability.isGoverned(index) || reachability.isolated(index, 'Ingress')) return;
      const entry = open.get(endpoint.namespace) ?? { count: 0, shown: [] };
      entry.count++;
      if (entry.shown.length < SHOWN) entry.shown.push(endpointName(endpoint));
      open.set(endpoint.namespace, entry);
    });
    const judged = judgedNamespaces(inventory);
    for (const { entry, subject } of judged) {
      const name = entry.name ?? 'default';
      const workloads = open.get(name);
      if (!workloads) continue;
      const shown = workloads.shown.join(', ') + (workloads.count > SHOWN ? ` and ${workloads.count - SHOWN} more` : '');
      yield {
        subject,
        message: `pods of any other namespace can connect to ${shown} in namespace ${name}: no NetworkPolicy ${inventory.searched} isolates them for Ingress`,
        about: `Namespace/${entry.name ?? ''}`,
      };
    }
    return judged.length;
  },
};
