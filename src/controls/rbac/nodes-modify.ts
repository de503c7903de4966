import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowingWhich, onSomeObject, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-NODES-MODIFY',
  title: 'No update or patch on Nodes',
  rationale:
    'Node labels and taints decide where pods run: whoever can change them can draw sensitive workloads (and their ' +
    'Secrets) onto a node they control, or taint every other node to evict them. Through nodes/status they can ' +
    'also rewrite a node\'s addresses, which the API server uses to reach the kubelet for exec, logs and ' +
    'port-forward. Only the kubelets (limited by NodeRestriction) and node controllers need it.',
  nsaSection: 'Authentication and authorization › RBAC (privilege escalation)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove update and patch on nodes and nodes/status; label and taint nodes through the node provisioning tooling.',
    snippet: 'rules:\n- apiGroups: [""]\n  resources: ["nodes"]\n  verbs: ["get", "list", "watch"]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

// One Node is enough to draw workloads to it, so resourceNames do not limit the right.
const REQUESTS = onSomeObject([...requests(['update', 'patch'], '', 'nodes'), ...requests(['update', 'patch'], '', 'nodes', 'status')]);

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowingWhich(inventory, REQUESTS),
};
