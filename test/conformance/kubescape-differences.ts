/**
 * Kubescape NSA-framework cases where kubeharden deliberately gives another verdict, with the reason.
 * docs/peer-differences.md explains each one for users; the agreement test fails if a case listed here starts
 * to agree (so the list cannot rot) or if any case not listed disagrees.
 */
export const KUBESCAPE_INTENDED_DIFFERENCES: Readonly<Record<string, string>> = {
  'internal-networking/namespace-passed':
    'C-0054 passes a namespace with any NetworkPolicy; the guide asks for default-deny, and this policy selects only some pods, so NET-DEFAULT-DENY-INGRESS fails it.',
  'internal-networking/namespace-cnp-passed':
    'Same as namespace-passed, with a CiliumNetworkPolicy that selects only some endpoints: no namespace-wide default-deny.',
  'rule-credentials-in-env-var/pod':
    'Kubescape flags any value containing "_key_" (here "my_key_value"); kubeharden judges names by whole words and values by known credential formats, to avoid such false positives.',
  'rule-credentials-in-env-var/deployment': 'As rule-credentials-in-env-var/pod: a value containing "_key_" is not a credential.',
  'rule-credentials-in-env-var/workloads': 'As rule-credentials-in-env-var/pod: a value containing "_key_" is not a credential.',
  'rule-credentials-configmap/test':
    'Kubescape flags aws_access_key_id: "XXXX" and pwd: "hi"; kubeharden treats placeholders and values under 4 characters as not credentials, and an access key id alone as an identifier.',
};
