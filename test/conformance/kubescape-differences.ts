/**
 * Kubescape NSA-framework cases where kubeharden deliberately gives another verdict: the `Kind/name` objects each
 * tool fails, and why. docs/peer-differences.md explains each one for users; the agreement test fails if a case
 * listed here starts to agree or differs in another way than recorded (so the list cannot rot), or if any case
 * not listed disagrees.
 */
export interface KubescapeDifference {
  /** `Kind/name` of the objects kubeharden fails, sorted. */
  readonly kubeharden: readonly string[];
  /** `Kind/name` of the objects the Kubescape case expects to fail, sorted. */
  readonly kubescape: readonly string[];
  readonly reason: string;
}

export const KUBESCAPE_INTENDED_DIFFERENCES: Readonly<Record<string, KubescapeDifference>> = {
  'internal-networking/namespace-passed': {
    kubeharden: ['Namespace/test'],
    kubescape: [],
    reason:
      'C-0054 passes a namespace with any NetworkPolicy; the guide asks for default-deny, and this policy selects only some pods, so NET-DEFAULT-DENY-INGRESS fails it.',
  },
  'internal-networking/namespace-cnp-passed': {
    kubeharden: ['Namespace/test'],
    kubescape: [],
    reason: 'Same as namespace-passed, with a CiliumNetworkPolicy that selects only some endpoints: no namespace-wide default-deny.',
  },
  'rule-credentials-in-env-var/pod': {
    kubeharden: [],
    kubescape: ['Pod/audit-pod'],
    reason:
      'Kubescape flags any value containing "_key_" (here "my_key_value"); kubeharden judges names by whole words and values by known credential formats, to avoid such false positives.',
  },
  'rule-credentials-in-env-var/deployment': {
    kubeharden: [],
    kubescape: ['Deployment/test2'],
    reason: 'As rule-credentials-in-env-var/pod: a value containing "_key_" is not a credential.',
  },
  'rule-credentials-in-env-var/workloads': {
    kubeharden: [],
    kubescape: ['Deployment/test2'],
    reason: 'As rule-credentials-in-env-var/pod: a value containing "_key_" is not a credential.',
  },
  'rule-credentials-configmap/test': {
    kubeharden: [],
    kubescape: ['ConfigMap/game-demo'],
    reason:
      'Kubescape flags aws_access_key_id: "XXXX" and pwd: "hi"; kubeharden treats placeholders and values under 4 characters as not credentials, and an access key id alone as an identifier.',
  },
};
