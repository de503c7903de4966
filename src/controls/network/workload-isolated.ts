import { describeNamespace } from '../../engine/inventory.js';
import { SharedMessages } from '../../util/shared-messages.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'NET-WORKLOAD-ISOLATED',
  title: 'Every workload must be selected by a NetworkPolicy',
  rationale:
    'A pod that no NetworkPolicy selects is not isolated in either direction: it accepts and sends any traffic, ' +
    'whatever policies its neighbours have.',
  nsaSection: 'Network separation and hardening › Network policies',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add a NetworkPolicy whose podSelector matches the workload\'s pod labels (or a default-deny policy for the namespace).',
    snippet: 'spec:\n  podSelector:\n    matchLabels:\n      app: storefront\n  policyTypes: [Ingress, Egress]\n',
  },
  references: { kubescape: ['C-0030'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  *check(inventory) {
    let assessed = 0;
    for (const entry of inventory.namespaces.values()) {
      // One message per label set of the namespace, not one copy per workload (200,000 Pods share a few hundred).
      const messages = new SharedMessages<object>();
      for (const workload of entry.workloads) {
        assessed++;
        if (inventory.policiesFor(entry).some((policy) => policy.selects(workload.labels, entry.name))) continue;
        const message = messages.get(workload.labels, () => {
          const labels = Object.entries(workload.labels).map(([key, value]) => `${key}=${value}`).join(', ');
          return `no NetworkPolicy in ${describeNamespace(entry)} ${inventory.searched} selects these pods (labels: ${labels || 'none'})`;
        });
        yield { subject: workload.subject, message };
      }
    }
    return assessed;
  },
};
