import type { DetectionMeta, DetectionRule } from '../rule.js';
import { POD_CREATE_NEEDS, podCreateRule } from './pod-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-HOSTPID-POD',
  title: "A pod sharing the node's PID namespace was created",
  rationale:
    "A pod with hostPID sees every process of the node, can read their environment and, with ptrace, enter them (MITRE T1611). Node agents need it; application pods never do.",
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm the pod is a node agent that needs hostPID; enforce Pod Security "baseline" everywhere else.', snippet: 'spec:\n  hostPID: false\n' },
  references: {},
  frameworks: ['nsa'],
  needs: POD_CREATE_NEEDS,
  covers: { falco: ['Create HostPid Pod'], elastic: ['Kubernetes Pod Created With HostPID'] },
  attack: ['T1611', 'T1610'],
};

export const rule: DetectionRule = podCreateRule(meta, (spec) => (spec.hostPID === true ? { what: 'with hostPID', field: 'spec.hostPID' } : undefined));
