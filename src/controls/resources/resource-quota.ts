import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { namespacesWithout } from '../network/namespace-findings.js';

export const meta: ControlMeta = {
  id: 'RES-RESOURCEQUOTA',
  title: 'Every namespace must have a ResourceQuota',
  rationale: 'A ResourceQuota bounds what one namespace can consume, so a compromised or runaway tenant cannot exhaust the cluster.',
  nsaSection: 'Network separation and hardening › Resource policies (App. G)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add a ResourceQuota with CPU, memory and object-count limits for the namespace.',
    snippet: 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\nspec:\n  hard:\n    requests.cpu: "4"\n    requests.memory: 8Gi\n    limits.cpu: "8"\n    limits.memory: 16Gi\n    pods: "50"\n',
  },
  references: { trivy: ['KSV-0040'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  check: (inventory) => namespacesWithout(inventory, (entry) => entry.resourceQuotas === 0, 'ResourceQuota'),
};
