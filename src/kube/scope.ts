import { groupKind } from './group-kind.js';

/** Built-in cluster-scoped kinds, as `group/Kind` (`Kind` for the core group). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'apiregistration.k8s.io/APIService',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'policy/PodSecurityPolicy',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'policy.networking.k8s.io/AdminNetworkPolicy',
  'policy.networking.k8s.io/BaselineAdminNetworkPolicy',
  'policy.networking.k8s.io/ClusterNetworkPolicy',
  'crd.projectcalico.org/GlobalNetworkPolicy',
  'crd.projectcalico.org/GlobalNetworkSet',
  'projectcalico.org/GlobalNetworkPolicy',
  'projectcalico.org/GlobalNetworkSet',
]);

/** The built-in cluster-scoped kinds as `group/Kind` (`Kind` for the core group), for RBAC's resource list. */
export function clusterScopedGroupKinds(): ReadonlySet<string> {
  return CLUSTER_SCOPED_KINDS;
}

/** True for kinds the API server keeps outside namespaces. */
export function isClusterScopedKind(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(groupKind(apiVersion, kind)) || /^Cluster[A-Z]/.test(kind);
}

/** The namespace the API server would put the object in: `default` for a namespaced kind written without one. */
export function effectiveNamespace(apiVersion: string, kind: string, namespace: string | undefined): string {
  if (isClusterScopedKind(apiVersion, kind)) return '';
  return namespace === undefined || namespace === '' ? 'default' : namespace;
}
