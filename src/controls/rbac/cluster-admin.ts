import { celBindingSubjects, objectRule, RBAC_BOOTSTRAP_OBJECT } from '../../engine/admission-cel.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import type { PolicyRule } from '../../rbac/model.js';
import { grantsWhere } from './grants.js';

/** Every verb a resource supports, so a rule that lists them all on everything is cluster-admin in disguise. */
const WRITE_AND_READ_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

function isAdminRule(rule: PolicyRule): boolean {
  const everything = rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
  return everything && (rule.verbs.includes('*') || WRITE_AND_READ_VERBS.every((verb) => rule.verbs.includes(verb)));
}

export const meta: ControlMeta = {
  id: 'RBAC-CLUSTER-ADMIN-BINDING',
  title: 'Minimise bindings to cluster-admin and roles equal to it',
  rationale:
    'cluster-admin can do anything to anything, and so can any role that grants every verb on every resource; every ' +
    'subject bound to one is a full cluster compromise waiting to happen.',
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
  // A binding to cluster-admin is one object; a role equal to it is found only through the binding that uses it.
  admission: {
    kinds: ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'],
    validations: () => [
      objectRule(meta, {
        violates: `!${RBAC_BOOTSTRAP_OBJECT} && object.roleRef.kind != 'Role' && object.roleRef.name == 'cluster-admin' && size(${celBindingSubjects(() => 'true')}) > 0`,
        field: 'roleRef',
        must: 'must not bind cluster-admin',
      }),
    ],
    notCovered: 'a binding to a role that grants every verb on every resource (equal to cluster-admin) needs that role, another object',
  },
  check: (inventory) =>
    grantsWhere(
      inventory,
      (grant) => (grant.binding.roleRef.kind === 'ClusterRole' && grant.binding.roleRef.name === 'cluster-admin') || grant.rules.some(isAdminRule),
      () => 'do anything (cluster-admin)',
    ),
};
