/** Files on control-plane and worker hosts: ownership and permissions of PKI, kubeconfigs and manifests. */
import type { Control } from '../../engine/types.js';

export const HOST_FILE_CONTROLS: readonly Control[] = [];
