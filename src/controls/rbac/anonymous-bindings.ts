import { celBindingSubjects, celStrings, objectFieldsRule, RBAC_BOOTSTRAP_OBJECT } from '../../engine/admission-cel.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsWhere } from './grants.js';

const ANONYMOUS = new Set(['system:anonymous', 'system:unauthenticated']);
const ANY_USER = [...ANONYMOUS, 'system:authenticated'];

export const meta: ControlMeta = {
  id: 'RBAC-ANONYMOUS-BINDINGS',
  title: 'No rights for anonymous or all authenticated users',
  rationale:
    'A binding to system:anonymous or system:unauthenticated gives its rights to anyone who can reach the API ' +
    'server; system:authenticated includes every service account and every user of any identity provider.',
  nsaSection: 'Authentication and authorization › Authentication (anonymous requests)',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Bind the role to the specific users, groups or service accounts that need it.',
    snippet: 'subjects:\n- kind: Group\n  name: shop-developers\n  apiGroup: rbac.authorization.k8s.io\n',
  },
  references: { kubescape: ['C-0262', 'C-0265'], trivy: ['KSV-0122', 'KSV-01011'] },
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
        fields: `(${RBAC_BOOTSTRAP_OBJECT} ? [] : ${celBindingSubjects((s) => `s.kind in ['User', 'Group'] && s.name in ${celStrings(ANY_USER)}`)})`,
        must: 'must not be anonymous or every authenticated user',
      }),
    ],
  },
  // Kubernetes' own bootstrap bindings give these groups discovery and public-info rights on purpose.
  check: (inventory) =>
    grantsWhere(
      inventory,
      (grant) => (grant.subject.kind === 'User' || grant.subject.kind === 'Group') && ANY_USER.includes(grant.subject.name),
      (grant) => `use ${grant.binding.roleRef.kind} ${grant.binding.roleRef.name}`,
    ),
};
