import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsWhere } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-CLUSTER-ADMIN-BINDING',
  title: 'Minimise bindings to cluster-admin',
  rationale: 'cluster-admin can do anything to anything; every subject bound to it is a full cluster compromise waiting to happen.',
  nsaSection: 'Authentication and authorization › RBAC (least privilege)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Bind a role with only the rights the subject needs; keep cluster-admin for break-glass accounts.',
    snippet: 'roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n',
  },
  references: { kubescape: ['C-0035', 'C-0185'], trivy: ['KSV-0111'], cis: ['5.1.1'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) =>
    grantsWhere(
      inventory,
      (grant) => grant.binding.roleRef.kind === 'ClusterRole' && grant.binding.roleRef.name === 'cluster-admin',
      () => 'do anything (cluster-admin)',
    ),
};
