import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowing, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-NODES-PROXY',
  title: 'No access to nodes/proxy',
  rationale:
    'nodes/proxy reaches the kubelet API of every node, which can run commands in any pod and bypasses audit logging of those commands.',
  nsaSection: 'Authentication and authorization › RBAC; Worker node segmentation (kubelet API)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove nodes/proxy from the role; monitoring agents need nodes/metrics or nodes/stats instead.',
    snippet: 'rules:\n- apiGroups: [""]\n  resources: ["nodes/metrics", "nodes/stats"]\n  verbs: ["get"]\n',
  },
  references: { kubescape: ['C-0279'], trivy: ['KSV-0047'], cis: ['5.1.10'] },
  frameworks: ['nsa'],
};

const REQUESTS = requests(['get', 'create', 'update', 'patch', 'delete'], '', 'nodes', 'proxy');

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowing(inventory, REQUESTS, 'reach the kubelet API through nodes/proxy'),
};
