import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowingWhich, onSomeObject, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-NAMESPACES-MODIFY',
  title: 'No update or patch on Namespaces',
  rationale:
    'Namespace labels set the Pod Security Admission level and are what NetworkPolicy namespace selectors match. ' +
    'Whoever can update or patch a Namespace (a RoleBinding in it is enough for its own Namespace object) can ' +
    'relabel it to privileged and run privileged pods, or into a namespace other policies trust.',
  nsaSection: 'Authentication and authorization › RBAC (privilege escalation)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove update and patch on namespaces from tenants\' roles; manage namespace labels from the platform\'s own automation.',
    snippet: 'rules:\n- apiGroups: [""]\n  resources: ["namespaces"]\n  verbs: ["get", "list", "watch"]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

// Relabelling one Namespace is enough, so resourceNames do not limit the right.
const REQUESTS = onSomeObject(requests(['update', 'patch'], '', 'namespaces'));

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowingWhich(inventory, REQUESTS),
};
