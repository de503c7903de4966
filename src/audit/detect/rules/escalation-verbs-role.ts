import type { DetectionMeta, DetectionRule } from '../rule.js';
import { ROLE_WRITE_NEEDS, roleWriteRule } from './role-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-ESCALATION-VERBS-ROLE',
  title: 'A Role or ClusterRole granting escalate, bind or impersonate was created or changed',
  rationale:
    'escalate lets a subject write roles with more rights than it holds, bind lets it bind any role, impersonate lets ' +
    'it act as any user or group: each is a direct path to cluster-admin (MITRE T1098.006, T1134).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 6, changes: [{ minor: 8, change: 'rbac.authorization.k8s.io/v1 is generally available' }] },
  remediation: { text: 'Remove escalate, bind and impersonate unless the subject is an RBAC manager you trust as an admin.', snippet: 'kubeharden rbac who-can impersonate users manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: ROLE_WRITE_NEEDS,
  covers: {},
  attack: ['T1098.006', 'T1134'],
};

const ESCALATING = ['escalate', 'bind', 'impersonate'];

export const rule: DetectionRule = roleWriteRule(meta, ['create', 'update', 'patch'], (rules) => {
  const entry = rules.find((candidate) => candidate.verbs.some((verb) => ESCALATING.includes(verb)));
  return entry && { what: `granting ${entry.verbs.filter((verb) => ESCALATING.includes(verb)).join(', ')} on ${entry.resources.join(', ') || 'non-resource URLs'}`, index: entry.index };
});
