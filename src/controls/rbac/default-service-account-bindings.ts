import { celBindingSubjects, objectFieldsRule, RBAC_BOOTSTRAP_OBJECT } from '../../engine/admission-cel.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsWhere } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-DEFAULT-SA-BINDINGS',
  title: 'Default service accounts must not be granted rights',
  rationale:
    'Every pod that does not choose a service account runs as "default"; rights given to it are given to all of ' +
    'those pods at once.',
  nsaSection: 'Authentication and authorization › Service accounts',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Create a dedicated ServiceAccount for the workload that needs the rights and bind the role to it.',
    snippet: 'subjects:\n- kind: ServiceAccount\n  name: storefront\n  namespace: shop\n',
  },
  references: { kubescape: ['C-0189'], cis: ['5.1.5'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  // A binding's subjects alone decide it: the role it names does not matter.
  admission: {
    kinds: ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'],
    validations: () => [
      objectFieldsRule(meta, {
        fields: `(${RBAC_BOOTSTRAP_OBJECT} ? [] : ${celBindingSubjects((s) => `s.kind == 'ServiceAccount' && s.name == 'default'`)})`,
        must: 'must not be a default service account',
      }),
    ],
  },
  check: (inventory) =>
    grantsWhere(
      inventory,
      (grant) => grant.subject.kind === 'ServiceAccount' && grant.subject.name === 'default',
      (grant) => `use ${grant.binding.roleRef.kind} ${grant.binding.roleRef.name}`,
    ),
};
