import type { DetectionMeta, DetectionRule } from '../rule.js';
import { POD_CREATE_NEEDS, podCreateRule } from './pod-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-HOSTNETWORK-POD',
  title: "A pod sharing the node's network namespace was created",
  rationale:
    "A pod with hostNetwork shares the node's network stack: it can bind node ports, sniff node traffic and reach services that trust the node's address, past NetworkPolicies (MITRE T1611). Node agents need it; application pods never do.",
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm the pod is a node agent that needs hostNetwork; enforce Pod Security "baseline" everywhere else.', snippet: 'spec:\n  hostNetwork: false\n' },
  references: {},
  frameworks: ['nsa'],
  needs: POD_CREATE_NEEDS,
  covers: { falco: ['Create HostNetwork Pod'], elastic: ['Kubernetes Pod Created With HostNetwork'] },
  attack: ['T1611', 'T1610'],
};

export const rule: DetectionRule = podCreateRule(meta, (spec) => (spec.hostNetwork === true ? { what: 'with hostNetwork', field: 'spec.hostNetwork' } : undefined));
