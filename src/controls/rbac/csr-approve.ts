import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowing, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-CSR-APPROVE',
  title: 'No approval of certificate signing requests',
  rationale:
    'Approving CertificateSigningRequests lets a subject issue client certificates, including ones for system:masters or for nodes.',
  nsaSection: 'Authentication and authorization › Authentication (certificates)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove update and patch on certificatesigningrequests/approval; leave approval to the controller manager.',
    snippet: '# no certificatesigningrequests/approval in custom roles\n',
  },
  references: { kubescape: ['C-0280'], cis: ['5.1.11'], checkov: ['CKV_K8S_156'] },
  frameworks: ['nsa'],
};

const REQUESTS = requests(['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests', 'approval');

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowing(inventory, REQUESTS, 'approve certificate signing requests'),
};
