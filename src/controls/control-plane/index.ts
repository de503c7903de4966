/** Control-plane components: kube-apiserver, kube-controller-manager, kube-scheduler and etcd, from their flags. */
import type { Control } from '../../engine/types.js';
import * as apiserverAdmissionPodSecurity from './apiserver-admission-pod-security.js';
import * as apiserverAlwaysPullImages from './apiserver-always-pull-images.js';
import * as apiserverAlwaysAdmit from './apiserver-alwaysadmit.js';
import * as apiserverAnonymousAuth from './apiserver-anonymous-auth.js';
import * as apiserverAuthzNode from './apiserver-authz-node.js';
import * as apiserverAuthzNotAlwaysAllow from './apiserver-authz-not-alwaysallow.js';
import * as apiserverAuthzRbac from './apiserver-authz-rbac.js';
import * as apiserverEtcdTls from './apiserver-etcd-tls.js';
import * as apiserverEventRateLimit from './apiserver-event-rate-limit.js';
import * as apiserverExternalAuthn from './apiserver-external-authn.js';
import * as apiserverInsecureBind from './apiserver-insecure-bind.js';
import * as apiserverInsecurePort from './apiserver-insecure-port.js';
import * as apiserverKubeletCa from './apiserver-kubelet-ca.js';
import * as apiserverKubeletClientTls from './apiserver-kubelet-client-tls.js';
import * as apiserverKubeletHttps from './apiserver-kubelet-https.js';
import * as apiserverProfiling from './apiserver-profiling.js';
import * as apiserverRemovedFlags from './apiserver-removed-flags.js';
import * as apiserverRequestTimeout from './apiserver-request-timeout.js';
import * as apiserverSaKey from './apiserver-sa-key.js';
import * as apiserverSaLookup from './apiserver-sa-lookup.js';
import * as apiserverSecurePort from './apiserver-secure-port.js';
import * as apiserverTls from './apiserver-tls.js';
import * as apiserverTokenAuthFile from './apiserver-token-auth-file.js';
import * as auditLog from './audit-log.js';
import * as auditLogRetention from './audit-log-retention.js';
import * as controllerManagerBindLocalhost from './controller-manager-bind-address.js';
import * as controllerManagerInsecurePort from './controller-manager-insecure-port.js';
import * as controllerManagerProfiling from './controller-manager-profiling.js';
import * as controllerManagerRootCa from './controller-manager-root-ca.js';
import * as controllerManagerSaCredentials from './controller-manager-sa-credentials.js';
import * as controllerManagerSaPrivateKey from './controller-manager-sa-private-key.js';
import * as encryptionAtRest from './encryption-at-rest.js';
import * as encryptionProviderStrength from './encryption-provider-strength.js';
import * as etcdClientCertAuth from './etcd-client-cert-auth.js';
import * as etcdNoAutoTls from './etcd-no-auto-tls.js';
import * as etcdPeerCertAuth from './etcd-peer-cert-auth.js';
import * as etcdTlsCerts from './etcd-tls-certs.js';
import * as schedulerBindLocalhost from './scheduler-bind-address.js';
import * as schedulerInsecurePort from './scheduler-insecure-port.js';
import * as schedulerProfiling from './scheduler-profiling.js';

export const CONTROL_PLANE_CONTROLS: readonly Control[] = [
  // kube-apiserver
  apiserverAnonymousAuth.control,
  apiserverInsecurePort.control,
  apiserverInsecureBind.control,
  apiserverRemovedFlags.control,
  apiserverTokenAuthFile.control,
  apiserverExternalAuthn.control,
  apiserverSecurePort.control,
  apiserverAuthzNotAlwaysAllow.control,
  apiserverAuthzRbac.control,
  apiserverAuthzNode.control,
  apiserverAdmissionPodSecurity.control,
  apiserverAlwaysAdmit.control,
  apiserverAlwaysPullImages.control,
  apiserverEventRateLimit.control,
  apiserverRequestTimeout.control,
  apiserverProfiling.control,
  apiserverTls.control,
  apiserverKubeletClientTls.control,
  apiserverKubeletCa.control,
  apiserverKubeletHttps.control,
  apiserverEtcdTls.control,
  apiserverSaLookup.control,
  apiserverSaKey.control,
  auditLog.control,
  auditLogRetention.control,
  encryptionAtRest.control,
  encryptionProviderStrength.control,
  // kube-controller-manager
  controllerManagerInsecurePort.control,
  controllerManagerBindLocalhost.control,
  controllerManagerProfiling.control,
  controllerManagerSaCredentials.control,
  controllerManagerSaPrivateKey.control,
  controllerManagerRootCa.control,
  // kube-scheduler
  schedulerInsecurePort.control,
  schedulerBindLocalhost.control,
  schedulerProfiling.control,
  // etcd
  etcdClientCertAuth.control,
  etcdPeerCertAuth.control,
  etcdNoAutoTls.control,
  etcdTlsCerts.control,
];
