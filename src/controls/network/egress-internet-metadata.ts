import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { INTERNET, METADATA } from '../../netpol/external.js';
import { endpointName } from '../../netpol/model.js';
import { judgeIsolatedEndpoints } from './reachability-subjects.js';

export const meta: ControlMeta = {
  id: 'NET-EGRESS-INTERNET-METADATA',
  title: 'Workloads must not have unrestricted egress to the internet or the cloud metadata service',
  rationale:
    'A pod that may connect anywhere on the internet can exfiltrate data and fetch tools, and one that may reach ' +
    '169.254.169.254 can read the node\'s cloud credentials. Egress policies should name the destinations a ' +
    'workload needs and exclude the metadata address.',
  nsaSection: 'Network separation and hardening › Network policies (egress)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Isolate the workload for Egress and allow only DNS and the destinations it needs; when a wide ipBlock is needed, except 169.254.169.254/32.',
    snippet:
      'spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [169.254.169.254/32]\n    ports:\n    - port: 443\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: true,
  check: (inventory) =>
    judgeIsolatedEndpoints(inventory, 'Egress', (reachability, index, endpoint) => {
      const problems: string[] = [];
      if (reachability.externalConnections(index, 'Egress', INTERNET.ips).isAll()) problems.push('any connection to any internet address');
      const metadata = reachability.externalConnections(index, 'Egress', METADATA.ips);
      if (!metadata.isEmpty()) problems.push(`${metadata.isAll() ? 'any connection' : metadata.toString()} to ${METADATA.name}`);
      if (problems.length === 0) return undefined;
      const why = reachability.isGoverned(index) ? '' : ' (it uses the host network, which NetworkPolicy does not govern)';
      return `${endpointName(endpoint)} may open ${problems.join(' and ')}${why}`;
    }),
};
