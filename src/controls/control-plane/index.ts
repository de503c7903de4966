/** Control-plane components: kube-apiserver, kube-controller-manager, kube-scheduler and etcd, from their flags. */
import type { Control } from '../../engine/types.js';
import * as apiserverAnonymousAuth from './apiserver-anonymous-auth.js';

export const CONTROL_PLANE_CONTROLS: readonly Control[] = [apiserverAnonymousAuth.control];
