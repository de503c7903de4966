/**
 * How `export vap` groups controls into policies; apart from the exporter so the CLI can offer the choices without
 * loading the catalog. `combined`: one policy for every pod-template control and one per object kind (each request
 * meets one policy, which finds the pod template once); `per-control`: one policy and binding per control, to bind
 * controls selectively.
 */
export const VAP_SPLITS = ['combined', 'per-control'] as const;
export type VapSplit = (typeof VAP_SPLITS)[number];
export const DEFAULT_VAP_SPLIT: VapSplit = 'combined';
