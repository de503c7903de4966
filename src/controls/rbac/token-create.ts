import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowing, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-SA-TOKEN-CREATE',
  title: 'Minimise who can create service account tokens',
  rationale:
    'create on serviceaccounts/token mints tokens for any service account in scope, and so holds all of their rights.',
  nsaSection: 'Kubernetes Pod security › Protecting Pod service account tokens',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove create on serviceaccounts/token except for the components that issue tokens.',
    snippet: '# no serviceaccounts/token create in application roles\n',
  },
  references: { kubescape: ['C-0282'], cis: ['5.1.13'] },
  frameworks: ['nsa'],
};

const REQUESTS = requests(['create'], '', 'serviceaccounts', 'token');

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowing(inventory, REQUESTS, 'create service account tokens'),
};
