/** Control-plane components: kube-apiserver, kube-controller-manager, kube-scheduler and etcd, from their flags. */
import type { Control } from '../../engine/types.js';
import * as apiserverAdmissionPodSecurity from './apiserver-admission-pod-security.js';
import * as apiserverAnonymousAuth from './apiserver-anonymous-auth.js';
import * as apiserverAuthorizationMode from './apiserver-authorization-mode.js';
import * as apiserverEtcdTls from './apiserver-etcd-tls.js';
import * as apiserverInsecurePort from './apiserver-insecure-port.js';
import * as apiserverNodeRestriction from './apiserver-node-restriction.js';
import * as apiserverProfiling from './apiserver-profiling.js';
import * as apiserverRemovedFlags from './apiserver-removed-flags.js';
import * as apiserverTls from './apiserver-tls.js';
import * as apiserverTokenAuthFile from './apiserver-token-auth-file.js';
import * as auditLog from './audit-log.js';
import * as auditLogRetention from './audit-log-retention.js';
import * as apiserverKubeletClient from './apiserver-kubelet-client.js';
import * as controllerManagerBindAddress from './controller-manager-bind-address.js';
import * as controllerManagerInsecurePort from './controller-manager-insecure-port.js';
import * as controllerManagerProfiling from './controller-manager-profiling.js';
import * as schedulerBindAddress from './scheduler-bind-address.js';
import * as schedulerProfiling from './scheduler-profiling.js';
import * as encryptionAtRest from './encryption-at-rest.js';
import * as encryptionProviderStrength from './encryption-provider-strength.js';
import * as etcdClientCertAuth from './etcd-client-cert-auth.js';
import * as etcdPeerCertAuth from './etcd-peer-cert-auth.js';
import * as schedulerInsecurePort from './scheduler-insecure-port.js';

export const CONTROL_PLANE_CONTROLS: readonly Control[] = [
  apiserverAnonymousAuth.control,
  apiserverInsecurePort.control,
  apiserverRemovedFlags.control,
  apiserverTokenAuthFile.control,
  apiserverAuthorizationMode.control,
  apiserverNodeRestriction.control,
  apiserverAdmissionPodSecurity.control,
  apiserverTls.control,
  apiserverEtcdTls.control,
  apiserverKubeletClient.control,
  apiserverProfiling.control,
  encryptionAtRest.control,
  encryptionProviderStrength.control,
  auditLog.control,
  auditLogRetention.control,
  controllerManagerInsecurePort.control,
  controllerManagerBindAddress.control,
  controllerManagerProfiling.control,
  schedulerInsecurePort.control,
  schedulerBindAddress.control,
  schedulerProfiling.control,
  etcdClientCertAuth.control,
  etcdPeerCertAuth.control,
];
