import type { DetectionMeta, DetectionRule } from '../rule.js';
import { POD_CREATE_NEEDS, podCreateRule } from './pod-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-HOSTIPC-POD',
  title: "A pod sharing the node's IPC namespace was created",
  rationale:
    "A pod with hostIPC shares the node's System V IPC and POSIX shared memory, where other workloads' data can be read (MITRE T1611). Node agents need it; application pods never do.",
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm the pod is a node agent that needs hostIPC; enforce Pod Security "baseline" everywhere else.', snippet: 'spec:\n  hostIPC: false\n' },
  references: {},
  frameworks: ['nsa'],
  needs: POD_CREATE_NEEDS,
  covers: { falco: ['Create HostIPC Pod'], elastic: ['Kubernetes Pod Created With HostIPC'] },
  attack: ['T1611', 'T1610'],
};

export const rule: DetectionRule = podCreateRule(meta, (spec) => (spec.hostIPC === true ? { what: 'with hostIPC', field: 'spec.hostIPC' } : undefined));
