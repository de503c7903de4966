import { posix } from 'node:path';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { hostPathCovers } from '../../kube/log-shippers.js';
import { whyNotOnNode, type NodeFacts } from '../../kube/node-scheduling.js';
import { describeShipper, NEEDS_CLUSTER } from './cluster-only.js';

export const meta: ControlMeta = {
  id: 'LOG-AUDIT-OFF-NODE',
  title: 'The API server audit log must leave the control-plane node',
  rationale:
    'An audit log that stays on the control-plane node is lost with it and can be rewritten by whoever takes it ' +
    'over: the very record of the attack. It leaves the node when the API server sends it to a webhook backend ' +
    '(--audit-webhook-config-file), or when a log shipper running on that node reads the folder of ' +
    '--audit-log-path through a hostPath mount. A shipper that does not tolerate the control-plane taint, or ' +
    'mounts only /var/log/containers, never sees the audit log.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (send logs off the node)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Send audit events to a webhook backend (--audit-webhook-config-file), or run a log shipper DaemonSet that tolerates the control-plane taint and mounts the folder of --audit-log-path from the host.',
    snippet:
      '      tolerations:\n        - key: node-role.kubernetes.io/control-plane\n          operator: Exists\n          effect: NoSchedule\n      volumes:\n        - name: audit\n          hostPath: { path: /var/log/kubernetes/audit }\n',
  },
  references: {},
  frameworks: ['nsa'],
};

/** Where kubeadm puts the API server when its Node is not visible: the control-plane label and taint. */
const KUBEADM_CONTROL_PLANE_NODE: Omit<NodeFacts, 'name'> = {
  labels: { 'node-role.kubernetes.io/control-plane': '' },
  taints: [{ key: 'node-role.kubernetes.io/control-plane', value: '', effect: 'NoSchedule' }],
};

/** `--audit-log-path=-` writes to standard out: the container log the kubelet keeps under /var/log/pods. */
const CONTAINER_LOGS = '/var/log/pods';

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  needsCluster: NEEDS_CLUSTER,
  *check(inventory, context) {
    let assessed = 0;
    for (const { config, nodeName } of context.components ?? []) {
      if (config.component !== 'kube-apiserver') continue;
      if (config.flags.value('audit-webhook-config-file')) {
        assessed++;
        continue;
      }
      const path = config.flags.value('audit-log-path');
      // No audit log at all is AUD-APISERVER-AUDIT-LOG's finding: there is nothing here to ship.
      if (!path) continue;
      assessed++;
      const folder = path === '-' ? CONTAINER_LOGS : posix.dirname(path);
      const known = inventory.nodes.find((node) => node.facts.name === nodeName)?.facts;
      const node: NodeFacts = known ?? { name: nodeName ?? '', ...KUBEADM_CONTROL_PLANE_NODE };
      const where = known ? `node ${known.name}` : `its node (${nodeName ? `${nodeName}, not listed` : 'not named'}; judged as a kubeadm control-plane node)`;
      const reasons = inventory.shippers.map((shipper) => {
        const off = whyNotOnNode(shipper.scheduling, node);
        const reads = shipper.hostPaths.some((mounted) => hostPathCovers(mounted, folder));
        return { shipper, why: off ?? (reads ? undefined : `mounts no hostPath that holds ${folder}`) };
      });
      if (reasons.some(({ why }) => why === undefined)) continue;
      const detail = reasons.length === 0 ? `no log shipper DaemonSet runs ${inventory.searched}` : reasons.map(({ shipper, why }) => `${describeShipper(shipper)}: ${why ?? ''}`).join('; ');
      const { location, field } = config.locate({ flag: 'audit-log-path' });
      yield {
        subject: { resource: config.resource, location, field },
        message: `the audit log ${path === '-' ? '(standard out)' : path} stays on ${where}: no --audit-webhook-config-file, and no log shipper reads ${folder} there (${detail})`,
      };
    }
    return assessed;
  },
};
