/** The shape the "a role with X was created" rules share: Role and ClusterRole writes, judged on their rules. */
import type { AuditEvent } from '../../event.js';
import type { DetectionMeta, DetectionNeeds, DetectionRule } from '../rule.js';
import { bodyField, eventRule, objectName, roleRulesOf, strings, username, type Match } from './support.js';

export const ROLE_WRITE_NEEDS: DetectionNeeds = {
  level: 'Request',
  stage: 'ResponseComplete',
  requests: [
    { verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: '' },
    { verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', name: '' },
  ],
};

export interface RoleRule {
  readonly verbs: string[];
  readonly resources: string[];
  readonly index: number;
}

/**
 * `verbs`: which writes count (Falco judges creates only; updates can widen a role too). `check` returns what is
 * wrong with the role's rules, or undefined.
 */
export function roleWriteRule(meta: DetectionMeta, verbs: readonly string[], check: (rules: RoleRule[]) => { what: string; index: number } | undefined): DetectionRule {
  return eventRule(meta, ['roles', 'clusterroles'], (event: AuditEvent): Match | undefined => {
    if (!verbs.includes(event.verb ?? '') || event.objectRef?.apiGroup !== 'rbac.authorization.k8s.io') return undefined;
    const rules = roleRulesOf(event).map((rule, index) => ({ verbs: strings(rule.verbs), resources: strings(rule.resources), index }));
    const found = check(rules);
    if (!found) return undefined;
    const kind = event.objectRef.resource === 'clusterroles' ? 'ClusterRole' : 'Role';
    const did = event.verb === 'create' ? 'created' : 'changed';
    return { field: `${bodyField(event)}.rules[${found.index}]`, message: `${username(event)} ${did} ${kind} ${objectName(event)} ${found.what}` };
  });
}
