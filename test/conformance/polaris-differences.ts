/**
 * Polaris cases where kubeharden deliberately gives another verdict. Keys are `check/file` or `check/*`.
 * docs/peer-differences.md explains them for users; the agreement test keeps this list exact.
 */
const NAME_EXEMPTIONS =
  'Polaris exempts bindings by name (gce:podsecuritypolicy:calico-sa, system: prefixes, default names); anyone can create a binding with such a name, so kubeharden exempts only Kubernetes\' bootstrap policy (label kubernetes.io/bootstrapping=rbac-defaults).';
const UNBOUND_ROLES =
  'Polaris judges Roles on their own, bound or not; kubeharden (like Kubescape) reports the subjects that hold the right through a binding. An unbound role grants nothing.';
const MISSING_ROLE = 'The bound role is not in the input; kubeharden does not guess its rights (rbac who-can shows the binding as "not among the scanned files").';
const SECCOMP = 'Polaris accepts AppArmor, SELinux or dropped capabilities instead of seccomp; PSS restricted requires a RuntimeDefault or Localhost seccomp profile.';
const PLACEHOLDER = 'The value is the placeholder "xxxxx", which kubeharden does not count as a credential.';
const NO_RULES = 'A policy type without rules denies that direction entirely: the pods are isolated, which is what NET-WORKLOAD-ISOLATED asks.';
const ONE_DIRECTION =
  'Polaris requires isolation in both directions; NET-WORKLOAD-ISOLATED (like Kubescape C-0030) requires that a policy selects the pods, and NET-DEFAULT-DENY-INGRESS/EGRESS report missing directions per namespace.';

export const POLARIS_INTENDED_DIFFERENCES: Readonly<Record<string, string>> = {
  'insecureCapabilities/*': 'Polaris accepts dropping its own list of insecure capabilities; PSS restricted (POD-CAPS-DROP-ALL) requires drop ALL.',
  'linuxHardening/success.apparmor_2_containers.yaml': SECCOMP,
  'linuxHardening/success.drop_capabilities.yaml': SECCOMP,
  'linuxHardening/success.selinux_container.yaml': SECCOMP,
  'linuxHardening/success.selinux_pod.yaml': SECCOMP,
  'linuxHardening/success.seccomp_profile_unconfined_for_pod_but_set_for_container.yaml':
    'A pod-level Unconfined seccomp profile fails PSS baseline (seccompProfile_baseline) even when every container overrides it; the Kubernetes fixtures win.',
  'missingNetworkPolicy/failure.netpol_missing_egress_in_policytypes.yaml': ONE_DIRECTION,
  'missingNetworkPolicy/failure.netpol_missing_ingress_in_policytypes.yaml': ONE_DIRECTION,
  'missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml': NO_RULES,
  'missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml': NO_RULES,
  'sensitiveConfigmapContent/failure.key_aws_secret_access_key.yaml': PLACEHOLDER,
  'sensitiveConfigmapContent/failure.key_azure_batch_key.yaml': PLACEHOLDER,
  'sensitiveConfigmapContent/failure.key_oci_cli_key_content.yaml': PLACEHOLDER,
  'pullPolicyNotAlways/*': 'The image has no tag, so the API server defaults imagePullPolicy to Always; Polaris wants it written out.',
  'clusterrolebindingClusterAdmin/success.gce_calico_binding.yaml': NAME_EXEMPTIONS,
  'clusterrolebindingClusterAdmin/success.system_prefix_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingClusterAdminClusterRole/success.gce_calico_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingClusterAdminClusterRole/success.system_prefix_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingClusterAdminRole/success.gce_calico_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingClusterAdminRole/success.system_prefix_binding.yaml': NAME_EXEMPTIONS,
  'clusterrolePodExecAttach/*': UNBOUND_ROLES,
  'rolePodExecAttach/*': UNBOUND_ROLES,
  'clusterrolebindingPodExecAttach/failure.binding_points_to_missing_ref.yaml': MISSING_ROLE,
  'rolebindingClusterRolePodExecAttach/failure.binding_points_to_missing_ref.yaml': MISSING_ROLE,
  'rolebindingRolePodExecAttach/failure.binding_points_to_missing_ref.yaml': MISSING_ROLE,
  'clusterrolebindingPodExecAttach/success.defaultclusterrolebinding_clusteradmin.yaml': NAME_EXEMPTIONS,
  'clusterrolebindingPodExecAttach/success.defaultclusterrolebinding_system-controller-generic-garbage-collector.yaml': NAME_EXEMPTIONS,
  'clusterrolebindingPodExecAttach/success.gce_calico_binding.yaml': NAME_EXEMPTIONS,
  'clusterrolebindingPodExecAttach/success.system_prefix_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingClusterRolePodExecAttach/success.gce_calico_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingClusterRolePodExecAttach/success.system_prefix_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingRolePodExecAttach/success.gce_calico_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingRolePodExecAttach/success.system_prefix_binding.yaml': NAME_EXEMPTIONS,
  'rolebindingRolePodExecAttach/success.role_binding_cluster_role_binding.yaml':
    'Polaris splits the exec check by binding and role kind, and this RoleBinding points at a ClusterRole; kubeharden reports every binding that grants exec.',
};
