import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowing, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-SECRETS-READ',
  title: 'Minimise who can read Secrets',
  rationale:
    'Reading Secrets hands over every credential in the namespace (or cluster): database passwords, API keys, and service account tokens that grant further rights.',
  nsaSection: 'Authentication and authorization › RBAC (restrict access to Secrets)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove get, list and watch on secrets from the role, or scope it to the named Secrets the workload needs with resourceNames.',
    snippet: 'rules:\n- apiGroups: [""]\n  resources: ["secrets"]\n  resourceNames: ["app-config"]\n  verbs: ["get"]\n',
  },
  references: { kubescape: ['C-0015'], trivy: ['KSV-0041', 'KSV-0113'], cis: ['5.1.2'] },
  frameworks: ['nsa'],
};

const REQUESTS = requests(['get', 'list', 'watch'], '', 'secrets');

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowing(inventory, REQUESTS, 'read Secrets (get, list or watch)'),
};
