import type { ControlMeta, PodControl } from '../../engine/types.js';
import { isRecord, record, str, stringOf } from '../../util/object.js';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public']);
const CONTROL_PLANE_COMPONENTS = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'cloud-controller-manager']);
/** Cluster infrastructure (CNI, DNS, kube-proxy) marks itself with the system priority classes. */
const SYSTEM_PRIORITY_CLASSES = new Set(['system-node-critical', 'system-cluster-critical']);

export const meta: ControlMeta = {
  id: 'NS-NO-SYSTEM-NAMESPACE',
  title: 'User workloads must not run in kube-system or kube-public',
  rationale:
    'kube-system holds the control plane\'s service accounts and secrets, and kube-public is readable by everyone; ' +
    'a user workload there shares their trust. The guide says user pods should not be placed in either.',
  nsaSection: 'Network separation and hardening › Namespaces',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Move the workload to its own namespace. Cluster components that belong there should use a system priority class.',
    snippet: 'metadata:\n  namespace: monitoring\n',
  },
  references: { trivy: ['KSV-0037'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  check({ object, spec, metadata }) {
    const namespace = str(record(object.metadata)?.namespace);
    if (namespace === undefined || !SYSTEM_NAMESPACES.has(namespace)) return [];
    const labels = isRecord(metadata.labels) ? metadata.labels : {};
    const controlPlane = labels.tier === 'control-plane' || CONTROL_PLANE_COMPONENTS.has(stringOf(labels.component));
    if (controlPlane || SYSTEM_PRIORITY_CLASSES.has(stringOf(spec.priorityClassName))) return [];
    return [{ path: ['metadata', 'namespace'], message: `workload runs in ${namespace} without being a cluster component` }];
  },
};
