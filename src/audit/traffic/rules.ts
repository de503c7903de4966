/**
 * What `kubeharden netpol audit` reports when it compares observed traffic (Cilium Hubble flows) with the
 * NetworkPolicies that should govern it. Data, like every rule: the CLI, the docs and the reports share it.
 */
import type { ControlMeta } from '../../engine/types.js';

const common = { nsaSection: 'Network separation and hardening › Network policies', pss: null, references: {}, frameworks: ['nsa'] } as const;

export const FLOW_DENIED: ControlMeta = {
  ...common,
  id: 'NETPOL-FLOW-DENIED',
  title: 'Observed traffic that the NetworkPolicies deny',
  rationale:
    'A flow the policies deny was either forwarded anyway (the policies in the cluster differ from these, or the ' +
    'network plugin does not enforce them) or dropped (something tried a connection it must not make: a ' +
    'misconfigured client, or a compromised workload probing its neighbours). Both need a look.',
  severity: 'high',
  versions: { sinceMinor: 7, changes: [] },
  remediation: {
    text: 'For a forwarded flow: check that the cluster runs these policies and that its network plugin enforces them. For a dropped one: find the client and why it tried.',
    snippet: 'kubeharden netpol reach manifests/ --explain ns/a->ns/b:8080\n',
  },
};

export const RULE_UNUSED: ControlMeta = {
  ...common,
  id: 'NETPOL-RULE-UNUSED',
  title: 'A NetworkPolicy allow rule that no observed flow used',
  rationale:
    'Every allow rule is an opening. One that no traffic used during the observation window may be left over from ' +
    'an old version of the application, or broader than needed: a candidate to remove or tighten (least privilege, ' +
    'as the guide asks for network policies).',
  severity: 'low',
  versions: { sinceMinor: 7, changes: [] },
  remediation: {
    text: 'Confirm over a window long enough to see every job and failover path, then remove the rule or narrow its peers and ports.',
    snippet: 'kubeharden netpol generate manifests/ --from-flows flows.json --no-infer\n',
  },
};

export const FLOW_NEW: ControlMeta = {
  ...common,
  id: 'NETPOL-FLOW-NEW',
  title: 'A connection between workloads never seen in the baseline',
  rationale:
    'A workload that starts talking to a peer, port or address it never used before is how lateral movement and ' +
    'exfiltration look on the network; a release can look the same, so each new pair should be known.',
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Confirm the new connection belongs to a change you know of; then record it with --write-baseline.',
    snippet: 'kubeharden netpol audit --flows flows.json manifests/ --write-baseline netpol-baseline.json\n',
  },
};

export const TRAFFIC_RULES: readonly ControlMeta[] = [FLOW_DENIED, RULE_UNUSED, FLOW_NEW];
