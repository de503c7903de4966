import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowingAny, requests, type NamedRight } from './grants.js';

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

/** Each right on its own, so a finding names the ones it found. */
const RIGHTS: readonly NamedRight[] = [
  { right: 'escalate', requests: ['roles', 'clusterroles'].flatMap((resource) => requests(['escalate'], 'rbac.authorization.k8s.io', resource)) },
  { right: 'bind', requests: ['roles', 'clusterroles'].flatMap((resource) => requests(['bind'], 'rbac.authorization.k8s.io', resource)) },
  {
    right: 'impersonate',
    requests: [
      ...['users', 'groups', 'serviceaccounts'].flatMap((resource) => requests(['impersonate'], '', resource)),
      ...requests(['impersonate'], 'authentication.k8s.io', 'uids'),
    ],
  },
];

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowingAny(inventory, RIGHTS),
};
