/** Checks only a live cluster can answer: what the API server does with requests, not how it is configured. */
import type { Control } from '../../engine/types.js';
import * as anonymousProbe from './anonymous-probe.js';

export const CLUSTER_CONTROLS: readonly Control[] = [anonymousProbe.control];
