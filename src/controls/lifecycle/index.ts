/** How current the running Kubernetes release is: judged where the version is known (a cluster, a node). */
import type { Control } from '../../engine/types.js';
import * as versionSupported from './version-supported.js';

export const LIFECYCLE_CONTROLS: readonly Control[] = [versionSupported.control];
