/** What a ValidatingAdmissionPolicyBinding does with a violation; apart from the exporter so the CLI can offer the choices without loading the catalog. */
export const VAP_ACTIONS = ['Deny', 'Warn', 'Audit'] as const;
export type VapAction = (typeof VAP_ACTIONS)[number];
