/** Control-plane components: kube-apiserver, kube-controller-manager, kube-scheduler and etcd, from their flags. */
import type { Control } from '../../engine/types.js';
import * as apiserverAnonymousAuth from './apiserver-anonymous-auth.js';
import * as apiserverProfiling from './apiserver-profiling.js';
import * as auditLog from './audit-log.js';
import * as encryptionAtRest from './encryption-at-rest.js';

export const CONTROL_PLANE_CONTROLS: readonly Control[] = [apiserverAnonymousAuth.control, apiserverProfiling.control, encryptionAtRest.control, auditLog.control];
