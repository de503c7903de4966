/**
 * Polaris fixture files where kubeharden deliberately gives another verdict, one entry per `check/file` (no
 * check-wide wildcards: a wildcard would let every file of the check pass whatever kubeharden said). Each entry
 * records what kubeharden says instead (the mapped controls it reports; none where Polaris expects a failure)
 * and why. docs/peer-differences.md explains them for users; the agreement test fails when a listed file starts
 * to agree, differs in another way, or is no longer a fixture, and when any file not listed disagrees.
 */
export interface PolarisDifference {
  /** The mapped controls kubeharden reports on the file, sorted; empty where Polaris expects a finding and kubeharden gives none. */
  readonly kubeharden: readonly string[];
  readonly reason: string;
}

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
const CAPABILITY_LIST = 'Polaris accepts dropping its own list of insecure capabilities; PSS restricted (POD-CAPS-DROP-ALL) requires drop ALL.';
const UNTAGGED_IMAGE = 'The image has no tag, so the API server defaults imagePullPolicy to Always; Polaris wants it written out.';

/** The same difference for several files of one check. */
function each(check: string, files: readonly string[], difference: PolarisDifference): Record<string, PolarisDifference> {
  return Object.fromEntries(files.map((file) => [`${check}/${file}`, difference]));
}

/** The exec/attach fixtures Polaris fails as unbound Roles and ClusterRoles (the same file names for both checks). */
const UNBOUND_EXEC_ROLE_FILES = [
  'failure.all_wildcards.yaml',
  'failure.attach_explicit.yaml',
  'failure.attach_using_verb_wildcard.yaml',
  'failure.create_attach_and_exec_using_resource_wildcard.yaml',
  'failure.create_attach_using_apigroup_wildcard.yaml',
  'failure.create_exec_using_apigroup_wildcard.yaml',
  'failure.exec_explicit.yaml',
  'failure.exec_verb_wildcard.yaml',
  'failure.get_attach_and_exec_using_resource_wildcard.yaml',
  'failure.get_attach_using_apigroup_wildcard.yaml',
  'failure.get_exec_using_apigroup_wildcard.yaml',
];

const reports = (...controls: string[]) => (reason: string): PolarisDifference => ({ kubeharden: controls, reason });
const nothing = reports();
const capsDropAll = reports('POD-CAPS-DROP-ALL');
const seccompRequired = reports('POD-SECCOMP-REQUIRED');
const clusterAdmin = reports('RBAC-CLUSTER-ADMIN-BINDING');
const podExec = reports('RBAC-POD-EXEC');

export const POLARIS_INTENDED_DIFFERENCES: Readonly<Record<string, PolarisDifference>> = {
  'insecureCapabilities/success.yaml': capsDropAll(CAPABILITY_LIST),
  'insecureCapabilities/success.pod.yaml': capsDropAll(CAPABILITY_LIST),
  'insecureCapabilities/success.case.yaml': capsDropAll(`${CAPABILITY_LIST} (Here the list is written in mixed case.)`),
  'insecureCapabilities/success.all.yaml': capsDropAll(
    'The container drops "All"; the Pod Security Admission check compares capability names exactly and recognises only "ALL".',
  ),
  'linuxHardening/success.apparmor_2_containers.yaml': seccompRequired(SECCOMP),
  'linuxHardening/success.drop_capabilities.yaml': seccompRequired(SECCOMP),
  'linuxHardening/success.selinux_container.yaml': seccompRequired(SECCOMP),
  'linuxHardening/success.selinux_pod.yaml': seccompRequired(SECCOMP),
  'linuxHardening/success.seccomp_profile_unconfined_for_pod_but_set_for_container.yaml': reports('POD-SECCOMP-NOT-UNCONFINED')(
    'A pod-level Unconfined seccomp profile fails PSS baseline (seccompProfile_baseline) even when every container overrides it; the Kubernetes fixtures win.',
  ),
  'missingNetworkPolicy/failure.netpol_missing_egress_in_policytypes.yaml': nothing(ONE_DIRECTION),
  'missingNetworkPolicy/failure.netpol_missing_ingress_in_policytypes.yaml': nothing(ONE_DIRECTION),
  'missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml': nothing(NO_RULES),
  'missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml': nothing(NO_RULES),
  'sensitiveConfigmapContent/failure.key_aws_secret_access_key.yaml': nothing(PLACEHOLDER),
  'sensitiveConfigmapContent/failure.key_azure_batch_key.yaml': nothing(PLACEHOLDER),
  'sensitiveConfigmapContent/failure.key_oci_cli_key_content.yaml': nothing(PLACEHOLDER),
  'pullPolicyNotAlways/failure.yaml': nothing(`${UNTAGGED_IMAGE} (image: nginx)`),
  'pullPolicyNotAlways/failure.cron-job.yaml': nothing(`${UNTAGGED_IMAGE} (image: busybox)`),
  'clusterrolebindingClusterAdmin/success.gce_calico_binding.yaml': clusterAdmin(NAME_EXEMPTIONS),
  'clusterrolebindingClusterAdmin/success.system_prefix_binding.yaml': clusterAdmin(NAME_EXEMPTIONS),
  'rolebindingClusterAdminClusterRole/success.gce_calico_binding.yaml': clusterAdmin(NAME_EXEMPTIONS),
  'rolebindingClusterAdminClusterRole/success.system_prefix_binding.yaml': clusterAdmin(NAME_EXEMPTIONS),
  'rolebindingClusterAdminRole/success.gce_calico_binding.yaml': clusterAdmin(NAME_EXEMPTIONS),
  'rolebindingClusterAdminRole/success.system_prefix_binding.yaml': clusterAdmin(NAME_EXEMPTIONS),
  ...each('clusterrolePodExecAttach', UNBOUND_EXEC_ROLE_FILES, nothing(UNBOUND_ROLES)),
  ...each('rolePodExecAttach', UNBOUND_EXEC_ROLE_FILES, nothing(UNBOUND_ROLES)),
  'clusterrolebindingPodExecAttach/failure.binding_points_to_missing_ref.yaml': nothing(MISSING_ROLE),
  'rolebindingClusterRolePodExecAttach/failure.binding_points_to_missing_ref.yaml': nothing(MISSING_ROLE),
  'rolebindingRolePodExecAttach/failure.binding_points_to_missing_ref.yaml': nothing(MISSING_ROLE),
  'clusterrolebindingPodExecAttach/success.defaultclusterrolebinding_clusteradmin.yaml': podExec(NAME_EXEMPTIONS),
  'clusterrolebindingPodExecAttach/success.defaultclusterrolebinding_system-controller-generic-garbage-collector.yaml': podExec(NAME_EXEMPTIONS),
  'clusterrolebindingPodExecAttach/success.gce_calico_binding.yaml': podExec(NAME_EXEMPTIONS),
  'clusterrolebindingPodExecAttach/success.system_prefix_binding.yaml': podExec(NAME_EXEMPTIONS),
  'rolebindingClusterRolePodExecAttach/success.gce_calico_binding.yaml': podExec(NAME_EXEMPTIONS),
  'rolebindingClusterRolePodExecAttach/success.system_prefix_binding.yaml': podExec(NAME_EXEMPTIONS),
  'rolebindingRolePodExecAttach/success.gce_calico_binding.yaml': podExec(NAME_EXEMPTIONS),
  'rolebindingRolePodExecAttach/success.system_prefix_binding.yaml': podExec(NAME_EXEMPTIONS),
  'rolebindingRolePodExecAttach/success.role_binding_cluster_role_binding.yaml': podExec(
    'Polaris splits the exec check by binding and role kind, and this RoleBinding points at a ClusterRole; kubeharden reports every binding that grants exec.',
  ),
};
