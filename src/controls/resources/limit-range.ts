import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { namespacesWithout } from '../network/namespace-findings.js';

export const meta: ControlMeta = {
  id: 'RES-LIMITRANGE',
  title: 'Every namespace must have a LimitRange',
  rationale: 'A LimitRange gives containers that forget them default requests and limits, and caps what any one container may ask for.',
  nsaSection: 'Network separation and hardening › Resource policies (App. F)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add a LimitRange with default and defaultRequest for containers.',
    snippet: 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n  - type: Container\n    default: { cpu: 500m, memory: 256Mi }\n    defaultRequest: { cpu: 100m, memory: 128Mi }\n',
  },
  references: { trivy: ['KSV-0039'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  check: (inventory) => namespacesWithout(inventory, (entry) => entry.limitRanges === 0, 'LimitRange'),
};
