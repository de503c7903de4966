import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowingWhich, onSomeObject, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-SERVICES-STATUS',
  title: 'No writes to services/status',
  rationale:
    'Whoever can update or patch services/status can set status.loadBalancer.ingress of a LoadBalancer Service to ' +
    'any IP address; kube-proxy then sends the cluster\'s own traffic for that IP (another Service, an external ' +
    'API, a DNS server) to the Service\'s pods, where it can be read and answered (CVE-2020-8554). Only the cloud ' +
    'or load-balancer controller needs this right.',
  nsaSection: 'Authentication and authorization › RBAC (privilege escalation)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove update and patch on services/status from every role but the load-balancer controller\'s.',
    snippet: 'rules:\n- apiGroups: [""]\n  resources: ["services"]\n  verbs: ["get", "list", "watch", "create", "update", "patch"]\n# no services/status\n',
  },
  references: {},
  frameworks: ['nsa'],
};

// One Service is enough to claim any IP address, so resourceNames do not limit the right.
const REQUESTS = onSomeObject(requests(['update', 'patch'], '', 'services', 'status'));

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowingWhich(inventory, REQUESTS),
};
