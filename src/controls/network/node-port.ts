import type { ControlMeta, ObjectControl, Violation } from '../../engine/types.js';
import { array, record } from '../../util/object.js';
import { objectRule, celField } from '../../engine/admission-cel.js';

/** From 1.22 (beta, on by default; GA in 1.24) `allocateLoadBalancerNodePorts: false` is honoured without a feature gate. */
const NODE_PORT_CONTROL_MINOR = 22;

export const meta: ControlMeta = {
  id: 'NET-NO-NODEPORT',
  title: 'Services should not be exposed through node ports',
  rationale:
    'A NodePort opens the same port on every node, bypassing the load balancer and any firewall in front of it, and ' +
    'widens the node\'s attack surface to every service that uses one. A LoadBalancer Service opens one too (the ' +
    'load balancer forwards to it) unless it sets allocateLoadBalancerNodePorts: false, for load balancers that ' +
    'reach pods directly.',
  nsaSection: 'Network separation and hardening › Network policies (limit exposure of services)',
  pss: null,
  severity: 'low',
  versions: {
    sinceMinor: 0,
    changes: [
      {
        minor: NODE_PORT_CONTROL_MINOR,
        change: 'a LoadBalancer with allocateLoadBalancerNodePorts: false opens no node port, except ports that ask for one (alpha behind ServiceLBNodePortControl in 1.20–1.21, beta 1.22, GA 1.24)',
      },
    ],
  },
  remediation: {
    text: 'Use a ClusterIP Service behind an Ingress or Gateway, or a LoadBalancer with allocateLoadBalancerNodePorts: false (1.22 and later) where the load balancer reaches pods directly, restricted to known source ranges.',
    snippet: 'spec:\n  type: LoadBalancer\n  allocateLoadBalancerNodePorts: false\n',
  },
  references: { kubescape: ['C-0044'] },
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  admission: {
    validations: () => {
      const type = (value: string) => celField('object', 'spec.type', (v) => `${v} == '${value}'`);
      const allocates = `!${celField('object', 'spec.allocateLoadBalancerNodePorts', (v) => `${v} == false`)}`;
      const explicitNodePort = celField('object', 'spec.ports', (ports) => `${ports}.exists(p, ${celField('p', 'nodePort', (v) => `type(${v}) == int && ${v} != 0`)})`);
      return [
        objectRule(meta, { violates: type('NodePort'), field: 'spec.type', must: 'must not be NodePort' }),
        objectRule(meta, { violates: `${type('LoadBalancer')} && ${allocates}`, field: 'spec.allocateLoadBalancerNodePorts', must: 'must be false for a LoadBalancer' }),
        objectRule(meta, { violates: `${type('LoadBalancer')} && !${allocates} && ${explicitNodePort}`, field: 'spec.ports[*].nodePort', must: 'must not be set' }),
      ];
    },
  },
  kinds: ['Service'],
  check: ({ object, version }) => {
    const spec = record(object.spec);
    if (spec?.type === 'NodePort') return [{ path: ['spec', 'type'], message: 'Service is of type NodePort: its port is open on every node' }];
    if (spec?.type !== 'LoadBalancer') return [];
    if (spec.allocateLoadBalancerNodePorts !== false) {
      return [
        {
          path: ['spec', 'type'],
          message: 'Service is of type LoadBalancer without allocateLoadBalancerNodePorts: false: it also opens a node port on every node, reachable past the load balancer',
        },
      ];
    }
    if (version.minor < NODE_PORT_CONTROL_MINOR) {
      return [
        {
          path: ['spec', 'allocateLoadBalancerNodePorts'],
          message: `allocateLoadBalancerNodePorts: false is dropped before 1.${NODE_PORT_CONTROL_MINOR} unless the alpha ServiceLBNodePortControl feature gate is on: this LoadBalancer opens a node port on every node`,
        },
      ];
    }
    return explicitNodePorts(spec.ports);
  },
};

/** Ports that ask for a node port by number: the API server allocates them even with allocateLoadBalancerNodePorts: false. */
function explicitNodePorts(ports: unknown): Violation[] {
  return array(ports).flatMap((port, index) => {
    const nodePort = record(port)?.nodePort;
    // nodePort is an int32: 0 or absent asks for none, and the API server rejects anything that is not a number.
    if (typeof nodePort !== 'number' || nodePort === 0) return [];
    return [
      {
        path: ['spec', 'ports', index, 'nodePort'],
        message: `LoadBalancer port asks for node port ${nodePort}, which is opened on every node even with allocateLoadBalancerNodePorts: false`,
      },
    ];
  });
}
