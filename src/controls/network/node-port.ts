import type { ControlMeta, ObjectControl } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'NET-NO-NODEPORT',
  title: 'Services should not be exposed through NodePorts',
  rationale:
    'A NodePort opens the same port on every node, bypassing the load balancer and any firewall in front of it, and ' +
    'widens the node\'s attack surface to every service that uses one.',
  nsaSection: 'Network separation and hardening › Network policies (limit exposure of services)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Use a ClusterIP Service behind an Ingress or Gateway, or a LoadBalancer restricted to known source ranges.',
    snippet: 'spec:\n  type: ClusterIP\n',
  },
  references: { kubescape: ['C-0044'] },
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: ['Service'],
  check: ({ object }) =>
    (object.spec as { type?: unknown } | undefined)?.type === 'NodePort'
      ? [{ path: ['spec', 'type'], message: 'Service is of type NodePort: its port is open on every node' }]
      : [],
};
