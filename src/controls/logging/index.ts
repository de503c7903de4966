import type { Control } from '../../engine/types.js';
export const LOGGING_CONTROLS: readonly Control[] = [];
