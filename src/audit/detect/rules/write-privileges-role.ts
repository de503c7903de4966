import type { DetectionMeta, DetectionRule } from '../rule.js';
import { ROLE_WRITE_NEEDS, roleWriteRule } from './role-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-WRITE-PRIVILEGES-ROLE',
  title: 'A Role or ClusterRole with write privileges was created',
  rationale:
    'New roles that can create, change or delete objects widen who can alter the cluster. Most are legitimate, so this ' +
    'is informational (Falco\'s NOTICE), but it is the trail to follow when a change cannot be explained.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'info',
  versions: { sinceMinor: 6, changes: [{ minor: 8, change: 'rbac.authorization.k8s.io/v1 is generally available' }] },
  remediation: { text: 'Check that the role grants only the writes its subjects need.', snippet: 'kubeharden rbac subject ServiceAccount NAMESPACE:NAME manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: ROLE_WRITE_NEEDS,
  covers: { falco: ['ClusterRole With Write Privileges Created'] },
  attack: ['T1098.006'],
};

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export const rule: DetectionRule = roleWriteRule(meta, ['create'], (rules) => {
  const writing = rules.find((entry) => entry.verbs.some((verb) => WRITES.has(verb)));
  return writing && { what: `granting ${writing.verbs.filter((verb) => WRITES.has(verb)).join(', ')} on ${writing.resources.join(', ') || 'non-resource URLs'}`, index: writing.index };
});
