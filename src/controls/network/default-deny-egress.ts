import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { namespacesWithout } from './namespace-findings.js';

export const meta: ControlMeta = {
  id: 'NET-DEFAULT-DENY-EGRESS',
  title: 'Every namespace must have a default-deny egress NetworkPolicy',
  rationale:
    'Without egress isolation a compromised pod can reach the cloud metadata service, the API server, other ' +
    'namespaces and the internet; a default-deny egress policy limits it to what was allowed.',
  nsaSection: 'Network separation and hardening › Network policies (App. E)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add a NetworkPolicy that selects every pod and allows no egress, then allow DNS and what each workload needs.',
    snippet: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-egress\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  check: (inventory) =>
    namespacesWithout(inventory, (entry) => !inventory.policiesFor(entry).some((policy) => policy.deniesByDefault('Egress', entry.name)), 'default-deny egress NetworkPolicy'),
};
