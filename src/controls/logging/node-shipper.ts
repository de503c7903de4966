import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { whyNotOnNode } from '../../kube/node-scheduling.js';
import { describeShipper, NEEDS_CLUSTER } from './cluster-only.js';

export const meta: ControlMeta = {
  id: 'LOG-NODE-SHIPPER',
  title: 'A log shipper must run on every node',
  rationale:
    'The guide asks for logs collected centrally, away from the nodes that produce them: a compromised node can ' +
    'erase its own logs, and a node that is replaced takes them along. Container and node logs leave a node only ' +
    'when an agent on that node ships them, which in Kubernetes is a DaemonSet. A shipper whose nodeSelector, ' +
    'affinity or tolerations keep it off some nodes (commonly the control-plane nodes) leaves exactly those blind. ' +
    'Recognised by image: Fluent Bit, Fluentd, Vector, Promtail, Grafana Alloy and Agent, the OpenTelemetry ' +
    'Collector, Filebeat and Elastic Agent, the Datadog and Splunk agents, and the AWS, Azure and Google agents.',
  nsaSection: 'Audit logging and threat detection › Logging (centralised log collection)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Run a log shipper as a DaemonSet that tolerates every node taint (control-plane nodes included) and sends container and node logs to a central store outside the cluster.',
    snippet:
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluent-bit\n  namespace: logging\nspec:\n  template:\n    spec:\n      tolerations:\n        - operator: Exists        # every node, control plane included\n      containers:\n        - name: fluent-bit\n          image: cr.fluentbit.io/fluent/fluent-bit:4.0\n          volumeMounts:\n            - { name: varlog, mountPath: /var/log, readOnly: true }\n      volumes:\n        - { name: varlog, hostPath: { path: /var/log } }\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  needsCluster: NEEDS_CLUSTER,
  *check(inventory) {
    for (const node of inventory.nodes) {
      if (inventory.shippers.length === 0) {
        yield { subject: node.subject, message: `no log shipper runs on node ${node.facts.name}: no DaemonSet ${inventory.searched} runs a known log shipper` };
        continue;
      }
      const reasons = inventory.shippers.map((shipper) => ({ shipper, why: whyNotOnNode(shipper.scheduling, node.facts) }));
      if (reasons.some(({ why }) => why === undefined)) continue;
      const why = reasons.map(({ shipper, why: reason }) => `${describeShipper(shipper)}: ${reason ?? ''}`).join('; ');
      yield { subject: node.subject, message: `no log shipper runs on node ${node.facts.name}: ${why}` };
    }
    return inventory.nodes.length;
  },
};
