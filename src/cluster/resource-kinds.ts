/** A kind the scan lists, and how to reach it. */
export interface ListedKind {
  readonly kind: string;
  /** `v1` for the core group, `apps/v1` otherwise. */
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Listed as PartialObjectMetadataList: the scanner must never read Secret data. */
  readonly metadataOnly?: boolean;
  /** A custom resource: when the server does not serve it (404), it is simply not there, not "not assessed". */
  readonly optional?: boolean;
}

/**
 * Everything the controls judge. Pods and their owners are listed both, and owned objects are then dropped so a
 * Deployment's finding is not repeated on each ReplicaSet and Pod (see owned.ts).
 */
export const LISTED_KINDS: readonly ListedKind[] = [
  { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', namespaced: false },
  // Nodes: their labels and taints decide where log shippers run (LOG-NODE-SHIPPER, LOG-AUDIT-OFF-NODE).
  { kind: 'Node', apiVersion: 'v1', plural: 'nodes', namespaced: false },
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', namespaced: true },
  { kind: 'ReplicationController', apiVersion: 'v1', plural: 'replicationcontrollers', namespaced: true },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', namespaced: true },
  { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', namespaced: true },
  { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', namespaced: true, metadataOnly: true },
  { kind: 'ServiceAccount', apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true },
  { kind: 'LimitRange', apiVersion: 'v1', plural: 'limitranges', namespaced: true },
  { kind: 'ResourceQuota', apiVersion: 'v1', plural: 'resourcequotas', namespaced: true },
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', namespaced: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true },
  { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  { kind: 'CiliumNetworkPolicy', apiVersion: 'cilium.io/v2', plural: 'ciliumnetworkpolicies', namespaced: true, optional: true },
  { kind: 'CiliumClusterwideNetworkPolicy', apiVersion: 'cilium.io/v2', plural: 'ciliumclusterwidenetworkpolicies', namespaced: false, optional: true },
  { kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1', plural: 'rollouts', namespaced: true, optional: true },
  // What encrypts pod traffic (NET-POD-TRAFFIC-ENCRYPTED). Istio serves PeerAuthentication as v1beta1 in every
  // release since 1.5 (v1 only since 1.22); Calico's FelixConfiguration is served under crd.projectcalico.org/v1.
  { kind: 'PeerAuthentication', apiVersion: 'security.istio.io/v1beta1', plural: 'peerauthentications', namespaced: true, optional: true },
  { kind: 'FelixConfiguration', apiVersion: 'crd.projectcalico.org/v1', plural: 'felixconfigurations', namespaced: false, optional: true },
];

/** `/api/v1/pods`, `/apis/apps/v1/namespaces/shop/deployments`. */
export function listPath(kind: ListedKind, namespace: string | undefined): string {
  const base = kind.apiVersion === 'v1' ? '/api/v1' : `/apis/${kind.apiVersion}`;
  return kind.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}` : `${base}/${kind.plural}`;
}

/** The API path of one object: where a live finding points (`/apis/apps/v1/namespaces/shop/deployments/web`). */
export function objectPath(kind: ListedKind, namespace: string | undefined, name: string): string {
  const base = kind.apiVersion === 'v1' ? '/api/v1' : `/apis/${kind.apiVersion}`;
  return kind.namespaced ? `${base}/namespaces/${namespace ?? ''}/${kind.plural}/${name}` : `${base}/${kind.plural}/${name}`;
}

/** A live object's `file` in a finding's location: `cluster:` and its API path (there is no file text, so line 0). */
export function liveObjectFile(kind: ListedKind, namespace: string | undefined, name: string): string {
  return `cluster:${objectPath(kind, namespace, name)}`;
}

/** The listed kind of an apiVersion and kind, if a cluster scan reads it. */
export function listedKind(apiVersion: string, kind: string): ListedKind | undefined {
  return LISTED_KINDS.find((listed) => listed.apiVersion === apiVersion && listed.kind === kind);
}
