import type { ControlMeta } from '../../../engine/types.js';
import type { AuditPolicyRule } from '../../policy/types.js';
import type { PolicyLintRule } from '../rule.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-UNREACHABLE-RULE',
  title: 'Rules after a catch-all rule never apply',
  rationale:
    'The first matching rule wins. A rule without users, groups, verbs, resources, namespaces or URLs matches every ' +
    'request, so every rule below it is dead: whatever it was meant to log (or drop) is decided by the catch-all.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Move the catch-all rule to the end of the policy.', snippet: 'rules:\n# specific rules first\n- level: Metadata   # catch-all last\n' },
  references: {},
  frameworks: ['nsa'],
};

function matchesEverything(entry: AuditPolicyRule): boolean {
  return [entry.users, entry.userGroups, entry.verbs, entry.resources, entry.namespaces, entry.nonResourceURLs].every((list) => list.length === 0);
}

export const rule: PolicyLintRule = {
  meta,
  check: ({ policy }) => {
    const catchAll = policy.rules.find(matchesEverything);
    if (!catchAll) return [];
    return policy.rules
      .filter((entry) => entry.index > catchAll.index)
      .map((entry) => ({ rule: entry, field: 'level', message: `rule ${entry.index + 1} never applies: rule ${catchAll.index + 1} above it matches every request (at ${catchAll.level})` }));
  },
};
