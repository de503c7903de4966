import type { DetectionMeta, DetectionRule } from '../rule.js';
import { ROLE_WRITE_NEEDS, roleWriteRule } from './role-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-WILDCARD-ROLE',
  title: 'A Role or ClusterRole granting "*" was created or widened',
  rationale:
    'A wildcard in verbs or resources grants everything, including what later API versions add: "*" on "*" is ' +
    'cluster-admin under another name, and a common persistence step (MITRE T1098.006).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 6, changes: [{ minor: 8, change: 'rbac.authorization.k8s.io/v1 is generally available' }] },
  remediation: { text: 'Replace the wildcards with the verbs and resources the subject needs; find who is bound to the role.', snippet: 'rules:\n- apiGroups: [""]\n  resources: ["configmaps"]\n  verbs: ["get", "list"]\n' },
  references: {},
  frameworks: ['nsa'],
  needs: ROLE_WRITE_NEEDS,
  covers: { falco: ['ClusterRole With Wildcard Created'], elastic: ['Kubernetes RBAC Wildcard Elevation on Existing Role'] },
  attack: ['T1098.006'],
};

export const rule: DetectionRule = roleWriteRule(meta, ['create', 'update', 'patch'], (rules) => {
  const wild = rules.find((entry) => entry.verbs.includes('*') || entry.resources.includes('*'));
  if (!wild) return undefined;
  const parts = [wild.verbs.includes('*') ? 'all verbs' : '', wild.resources.includes('*') ? 'all resources' : ''].filter(Boolean).join(' on ');
  return { what: `granting ${parts} ("*")`, index: wild.index };
});
