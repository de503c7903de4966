/**
 * The control catalog: every control kubeharden knows, in display order.
 * Add a control by writing one file under a family folder and listing it here.
 */
import type { Control } from '../engine/types.js';
import { CLUSTER_CONTROLS } from './cluster/index.js';
import { CONTROL_PLANE_CONTROLS } from './control-plane/index.js';
import { HOST_FILE_CONTROLS } from './host-files/index.js';
import { KUBELET_CONTROLS } from './kubelet/index.js';
import { LIFECYCLE_CONTROLS } from './lifecycle/index.js';
import { LOGGING_CONTROLS } from './logging/index.js';
import * as allowPrivilegeEscalation from './pod-security/allow-privilege-escalation.js';
import * as appArmorProfile from './pod-security/apparmor-profile.js';
import * as capabilitiesBaseline from './pod-security/capabilities-baseline.js';
import * as capabilitiesRestricted from './pod-security/capabilities-restricted.js';
import * as hostNamespaces from './pod-security/host-namespaces.js';
import * as hostPathVolumes from './pod-security/host-path-volumes.js';
import * as hostPorts from './pod-security/host-ports.js';
import * as hostProbes from './pod-security/host-probes.js';
import * as privileged from './pod-security/privileged.js';
import * as procMount from './pod-security/proc-mount.js';
import * as procMountRestricted from './pod-security/proc-mount-restricted.js';
import * as restrictedVolumes from './pod-security/restricted-volumes.js';
import * as runAsNonRoot from './pod-security/run-as-non-root.js';
import * as runAsUser from './pod-security/run-as-user.js';
import * as seccompBaseline from './pod-security/seccomp-baseline.js';
import * as seccompRestricted from './pod-security/seccomp-restricted.js';
import * as seLinuxOptions from './pod-security/selinux-options.js';
import * as sysctls from './pod-security/sysctls.js';
import * as windowsHostProcess from './pod-security/windows-host-process.js';
import * as secretEnvVars from './secrets/secret-env-vars.js';
import * as credentialsInEnv from './secrets/credentials-in-env.js';
import * as credentialsInConfigMap from './secrets/credentials-in-configmap.js';
import * as secretInManifest from './secrets/secret-in-manifest.js';
import * as legacyServiceAccountToken from './secrets/legacy-service-account-token.js';
import * as readOnlyRootFilesystem from './workload/readonly-root-filesystem.js';
import * as nonRootGroups from './workload/non-root-groups.js';
import * as sensitiveHostPath from './workload/sensitive-host-path.js';
import * as dangerousCapabilities from './workload/dangerous-capabilities.js';
import * as defaultServiceAccount from './workload/default-service-account.js';
import * as missingServiceAccount from './workload/missing-service-account.js';
import * as hostAliases from './workload/host-aliases.js';
import * as sshPort from './workload/ssh-port.js';
import * as highUidGid from './workload/high-uid-gid.js';
import * as dashboard from './addons/dashboard.js';
import * as tiller from './addons/tiller.js';
import * as cpuLimit from './resources/cpu-limit.js';
import * as memoryLimit from './resources/memory-limit.js';
import * as requests from './resources/requests.js';
import * as imageTag from './images/image-tag.js';
import * as imageDigest from './images/image-digest.js';
import * as pullPolicy from './images/pull-policy.js';
import * as trustedRegistry from './images/trusted-registry.js';
import * as defaultNamespace from './namespaces/default-namespace.js';
import * as defaultNamespaceObjects from './namespaces/default-namespace-objects.js';
import * as systemNamespaces from './namespaces/system-namespaces.js';
import * as nodePort from './network/node-port.js';
import * as loadBalancerSourceRanges from './network/load-balancer-source-ranges.js';
import * as externalIps from './network/external-ips.js';
import * as ingressTls from './network/ingress-tls.js';
import * as ingressNginxSnippets from './network/ingress-nginx-snippets.js';
import * as ingressNginxInjection from './network/ingress-nginx-injection.js';
import * as externalNamePlainHttp from './network/external-name-plain-http.js';
import * as defaultDenyIngress from './network/default-deny-ingress.js';
import * as defaultDenyEgress from './network/default-deny-egress.js';
import * as workloadIsolated from './network/workload-isolated.js';
import * as reachableFromAllNamespaces from './network/reachable-from-all-namespaces.js';
import * as egressInternetMetadata from './network/egress-internet-metadata.js';
import * as namespaceOpenToOthers from './network/namespace-open-to-others.js';
import * as policySelectsNothing from './network/policy-selects-nothing.js';
import * as policyPeerSelectsNothing from './network/policy-peer-selects-nothing.js';
import * as podTrafficEncrypted from './network/pod-traffic-encrypted.js';
import * as limitRange from './resources/limit-range.js';
import * as resourceQuota from './resources/resource-quota.js';
import * as serviceAccountToken from './workload/service-account-token.js';
import * as defaultServiceAccountAutomount from './workload/default-service-account-automount.js';
import * as podSecurityLabels from './namespaces/pod-security-labels.js';
import * as secretsRead from './rbac/secrets-read.js';
import * as podExec from './rbac/pod-exec.js';
import * as escalation from './rbac/escalation.js';
import * as createWorkloads from './rbac/create-workloads.js';
import * as nodesProxy from './rbac/nodes-proxy.js';
import * as tokenCreate from './rbac/token-create.js';
import * as csrApprove from './rbac/csr-approve.js';
import * as admissionControl from './rbac/admission-control.js';
import * as servicesStatus from './rbac/services-status.js';
import * as pvCreate from './rbac/pv-create.js';
import * as nodesModify from './rbac/nodes-modify.js';
import * as namespacesModify from './rbac/namespaces-modify.js';
import * as clusterAdmin from './rbac/cluster-admin.js';
import * as wildcardRules from './rbac/wildcard-rules.js';
import * as anonymousBindings from './rbac/anonymous-bindings.js';
import * as defaultServiceAccountBindings from './rbac/default-service-account-bindings.js';

export const CONTROLS: readonly Control[] = [
  // Pod Security Standards: baseline
  hostNamespaces.control,
  privileged.control,
  capabilitiesBaseline.control,
  hostPathVolumes.control,
  hostPorts.control,
  appArmorProfile.control,
  seLinuxOptions.control,
  procMount.control,
  seccompBaseline.control,
  sysctls.control,
  windowsHostProcess.control,
  hostProbes.control,
  // Pod Security Standards: restricted
  restrictedVolumes.control,
  allowPrivilegeEscalation.control,
  runAsNonRoot.control,
  runAsUser.control,
  seccompRestricted.control,
  capabilitiesRestricted.control,
  procMountRestricted.control,
  // NSA/CISA beyond PSS: workloads
  readOnlyRootFilesystem.control,
  nonRootGroups.control,
  sensitiveHostPath.control,
  dangerousCapabilities.control,
  defaultServiceAccount.control,
  serviceAccountToken.control,
  defaultServiceAccountAutomount.control,
  missingServiceAccount.control,
  hostAliases.control,
  sshPort.control,
  highUidGid.control,
  // Cluster add-ons that are risky by running
  dashboard.control,
  tiller.control,
  // Resource policies
  cpuLimit.control,
  memoryLimit.control,
  requests.control,
  limitRange.control,
  resourceQuota.control,
  // Images
  imageTag.control,
  imageDigest.control,
  pullPolicy.control,
  trustedRegistry.control,
  // Secrets
  credentialsInEnv.control,
  secretEnvVars.control,
  credentialsInConfigMap.control,
  secretInManifest.control,
  legacyServiceAccountToken.control,
  // Namespaces
  defaultNamespace.control,
  defaultNamespaceObjects.control,
  systemNamespaces.control,
  podSecurityLabels.control,
  // Network separation
  defaultDenyIngress.control,
  defaultDenyEgress.control,
  workloadIsolated.control,
  reachableFromAllNamespaces.control,
  egressInternetMetadata.control,
  namespaceOpenToOthers.control,
  policySelectsNothing.control,
  policyPeerSelectsNothing.control,
  podTrafficEncrypted.control,
  // Services and ingress
  nodePort.control,
  loadBalancerSourceRanges.control,
  externalIps.control,
  ingressTls.control,
  externalNamePlainHttp.control,
  ingressNginxSnippets.control,
  ingressNginxInjection.control,
  // Authorization (RBAC)
  anonymousBindings.control,
  clusterAdmin.control,
  wildcardRules.control,
  escalation.control,
  secretsRead.control,
  podExec.control,
  nodesProxy.control,
  csrApprove.control,
  admissionControl.control,
  servicesStatus.control,
  pvCreate.control,
  nodesModify.control,
  namespacesModify.control,
  createWorkloads.control,
  tokenCreate.control,
  defaultServiceAccountBindings.control,
  // Control plane, kubelet and host files: only `kubeharden node` and `kubeharden cluster` read these
  ...CONTROL_PLANE_CONTROLS,
  ...KUBELET_CONTROLS,
  ...HOST_FILE_CONTROLS,
  ...CLUSTER_CONTROLS,
  // What runs and where its logs go: the release's support, log shippers, the audit log leaving the node
  ...LIFECYCLE_CONTROLS,
  ...LOGGING_CONTROLS,
];

