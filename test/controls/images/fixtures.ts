/** Pods for the image controls' cases: one container running the given reference. */
export const image = (reference: string, extra: object = {}) => ({ containers: [{ name: 'app', image: reference, ...extra }] });
export const DIGEST = 'sha256:0c4e1b5b3a1e4c9b8f2d3f1a6f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e';
