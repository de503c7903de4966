/** The built-in detection rules, in display order. Add one by writing a file here and listing it. */
import type { DetectionRule } from '../rule.js';
import { rule as execIntoPod } from './exec-into-pod.js';
import { rule as execSuspiciousCommand } from './exec-suspicious-command.js';
import { rule as portForward } from './port-forward.js';
import { rule as ephemeralContainer } from './ephemeral-container.js';
import { rule as nodeProxy } from './node-proxy.js';
import { rule as privilegedPod } from './privileged-pod.js';
import { rule as hostNetworkPod } from './host-network-pod.js';
import { rule as hostPidPod } from './host-pid-pod.js';
import { rule as hostIpcPod } from './host-ipc-pod.js';
import { rule as sensitiveMountPod } from './sensitive-mount-pod.js';
import { rule as dangerousCapabilitiesPod } from './dangerous-capabilities-pod.js';
import { rule as kubeNamespacePod } from './kube-namespace-pod.js';
import { rule as kubeNamespaceServiceAccount } from './kube-namespace-service-account.js';
import { rule as clusterAdminBinding } from './cluster-admin-binding.js';
import { rule as wildcardRole } from './wildcard-role.js';
import { rule as escalationVerbsRole } from './escalation-verbs-role.js';
import { rule as podExecRole } from './pod-exec-role.js';
import { rule as writePrivilegesRole } from './write-privileges-role.js';
import { rule as systemRoleModified } from './system-role-modified.js';
import { rule as privilegedImpersonation } from './privileged-impersonation.js';
import { rule as certificateSigning } from './certificate-signing.js';
import { rule as admissionWebhookChanged } from './admission-webhook-changed.js';
import { rule as secretRead } from './secret-read.js';
import { rule as secretReadRefused } from './secret-read-refused.js';
import { rule as tokenRequest } from './token-request.js';
import { rule as configmapCredentials } from './configmap-credentials.js';
import { rule as awsAuthModified } from './aws-auth-modified.js';
import { rule as anonymousAllowed } from './anonymous-allowed.js';
import { rule as forbiddenBurst } from './forbidden-burst.js';
import { rule as unauthenticatedBurst } from './unauthenticated-burst.js';
import { rule as nodePortService } from './node-port-service.js';
import { rule as corednsModified } from './coredns-modified.js';
import { rule as ingressWithoutTls } from './ingress-without-tls.js';
import { rule as eventsDeleted } from './events-deleted.js';

export const DETECTION_RULES: readonly DetectionRule[] = [
  execIntoPod,
  execSuspiciousCommand,
  portForward,
  ephemeralContainer,
  nodeProxy,
  privilegedPod,
  hostNetworkPod,
  hostPidPod,
  hostIpcPod,
  sensitiveMountPod,
  dangerousCapabilitiesPod,
  kubeNamespacePod,
  kubeNamespaceServiceAccount,
  clusterAdminBinding,
  wildcardRole,
  escalationVerbsRole,
  podExecRole,
  writePrivilegesRole,
  systemRoleModified,
  privilegedImpersonation,
  certificateSigning,
  admissionWebhookChanged,
  secretRead,
  secretReadRefused,
  tokenRequest,
  configmapCredentials,
  corednsModified,
  awsAuthModified,
  anonymousAllowed,
  forbiddenBurst,
  unauthenticatedBurst,
  nodePortService,
  ingressWithoutTls,
  eventsDeleted,
];
