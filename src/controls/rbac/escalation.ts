import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowing, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-ESCALATE-BIND-IMPERSONATE',
  title: 'No escalate, bind or impersonate rights',
  rationale:
    'escalate and bind let a subject grant itself permissions it does not hold; impersonate lets it act as any user, group or service account. Each is a path to cluster-admin.',
  nsaSection: 'Authentication and authorization › RBAC (privilege escalation)',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove escalate, bind and impersonate from the role; administer RBAC through reviewed changes instead.',
    snippet: '# no escalate, bind or impersonate verbs\nrules:\n- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["roles", "rolebindings"]\n  verbs: ["get", "list"]\n',
  },
  references: { kubescape: ['C-0191', 'C-0065'], trivy: ['KSV-0043', 'KSV-0050'], cis: ['5.1.8'] },
  frameworks: ['nsa'],
};

const REQUESTS = [
  ...requests(['escalate', 'bind'], 'rbac.authorization.k8s.io', 'roles'),
  ...requests(['escalate', 'bind'], 'rbac.authorization.k8s.io', 'clusterroles'),
  ...['users', 'groups', 'serviceaccounts'].flatMap((resource) => requests(['impersonate'], '', resource)),
  ...requests(['impersonate'], 'authentication.k8s.io', 'uids'),
];

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowing(inventory, REQUESTS, 'escalate, bind or impersonate'),
};
