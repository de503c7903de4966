import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { namespacesWithout } from './namespace-findings.js';

export const meta: ControlMeta = {
  id: 'NET-DEFAULT-DENY-INGRESS',
  title: 'Every namespace must have a default-deny ingress NetworkPolicy',
  rationale:
    'Pods accept traffic from anywhere until a policy selects them. A default-deny policy makes every connection an ' +
    'explicit decision, so a new workload is not reachable by accident and a compromised pod cannot scan its neighbours.',
  nsaSection: 'Network separation and hardening › Network policies (App. E)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add a NetworkPolicy that selects every pod and allows no ingress, then allow what each workload needs.',
    snippet: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n',
  },
  references: { kubescape: ['C-0054'], cis: ['5.3.2'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  check: (inventory) =>
    namespacesWithout(inventory, (entry) => !inventory.policiesFor(entry).some((policy) => policy.deniesByDefault('Ingress', entry.name)), 'default-deny ingress NetworkPolicy'),
};
