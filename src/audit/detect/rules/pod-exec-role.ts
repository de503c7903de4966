import type { DetectionMeta, DetectionRule } from '../rule.js';
import { ROLE_WRITE_NEEDS, roleWriteRule } from './role-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-POD-EXEC-ROLE',
  title: 'A Role or ClusterRole allowing exec into pods was created',
  rationale:
    'pods/exec (and attach) is a shell in every pod the role reaches, with their service account tokens: a role that ' +
    'grants it is a role that grants what those pods can do (MITRE T1609).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 6, changes: [{ minor: 8, change: 'rbac.authorization.k8s.io/v1 is generally available' }] },
  remediation: { text: 'Grant pods/exec only to the few who debug these workloads, in their namespaces only.', snippet: 'kubeharden rbac who-can create pods/exec manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: ROLE_WRITE_NEEDS,
  covers: { falco: ['ClusterRole With Pod Exec Created'] },
  attack: ['T1609', 'T1098.006'],
};

export const rule: DetectionRule = roleWriteRule(meta, ['create'], (rules) => {
  const exec = rules.find((entry) => entry.resources.some((resource) => resource === 'pods/exec' || resource === 'pods/attach'));
  return exec && { what: `granting ${exec.resources.filter((r) => r === 'pods/exec' || r === 'pods/attach').join(' and ')}`, index: exec.index };
});
