/** Kubelet configuration: flags and KubeletConfiguration, with the defaults of each way of configuring it. */
import type { Control } from '../../engine/types.js';

export const KUBELET_CONTROLS: readonly Control[] = [];
