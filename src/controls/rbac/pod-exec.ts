import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowingAny, requests, type NamedRight } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-POD-EXEC',
  title: 'Minimise who can exec into, attach to or port-forward pods',
  rationale:
    'pods/exec, pods/attach and pods/portforward give a shell or a tunnel into running containers, with their files, tokens and network position. A get on these subresources is enough for the WebSocket form of kubectl exec on clusters that do not require create.',
  nsaSection: 'Authentication and authorization › RBAC; Audit logging (exec must be rare and audited)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove create and get on pods/exec, pods/attach and pods/portforward; grant them only to a break-glass role.',
    snippet: '# keep pods/exec out of everyday roles\nrules:\n- apiGroups: [""]\n  resources: ["pods", "pods/log"]\n  verbs: ["get", "list"]\n',
  },
  references: { kubescape: ['C-0002', 'C-0063'], trivy: ['KSV-0053', 'KSV-0054'] },
  frameworks: ['nsa'],
};

/** Each subresource on its own, so a finding names the ones it found. */
const RIGHTS: readonly NamedRight[] = [
  { right: 'exec into', requests: requests(['create', 'get'], '', 'pods', 'exec') },
  { right: 'attach to', requests: requests(['create', 'get'], '', 'pods', 'attach') },
  { right: 'port-forward to', requests: requests(['create', 'get'], '', 'pods', 'portforward') },
];

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowingAny(inventory, RIGHTS, 'pods'),
};
