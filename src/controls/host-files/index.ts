/** Files on control-plane and worker hosts: ownership and permissions of PKI, kubeconfigs and manifests. */
import type { Control } from '../../engine/types.js';
import * as adminKubeconfig from './admin-kubeconfig.js';
import * as componentKubeconfigs from './component-kubeconfigs.js';
import * as etcdDataDir from './etcd-data-dir.js';
import * as kubeletFilePerms from './kubelet-file-perms.js';
import * as pkiPerms from './pki-perms.js';
import * as staticPodManifests from './static-pod-manifests.js';

export const HOST_FILE_CONTROLS: readonly Control[] = [
  adminKubeconfig.control,
  componentKubeconfigs.control,
  staticPodManifests.control,
  pkiPerms.control,
  kubeletFilePerms.control,
  etcdDataDir.control,
];
