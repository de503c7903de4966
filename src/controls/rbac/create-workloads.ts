import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowing, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-CREATE-WORKLOADS',
  title: 'Minimise who can create pods and workloads',
  rationale:
    'Creating a pod or any workload in a namespace lets a subject run code as every service account of that namespace and mount every Secret in it.',
  nsaSection: 'Authentication and authorization › RBAC (least privilege)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Grant create on workloads only to deployment automation, not to people or application service accounts.',
    snippet: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list", "watch"]\n',
  },
  references: { kubescape: ['C-0188'], trivy: ['KSV-0048'], cis: ['5.1.4'] },
  frameworks: ['nsa'],
};

const REQUESTS = [...requests(['create'], '', 'pods'), ...requests(['create'], '', 'replicationcontrollers'), ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].flatMap((resource) => requests(['create'], 'apps', resource)), ...['jobs', 'cronjobs'].flatMap((resource) => requests(['create'], 'batch', resource))];

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowing(inventory, REQUESTS, 'create pods or workloads'),
};
