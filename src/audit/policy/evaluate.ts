/**
 * kube-apiserver's audit policy checker, restated: the first matching rule decides the level, its omitStages are
 * unioned with the policy's, and no match means level None. Research note A.2 has the exact order of the checks.
 */
import type { AuditStage } from '../event.js';
import type { AuditDecision, AuditPolicy, AuditPolicyRule, AuditRequest, GroupResources } from './types.js';

export function evaluatePolicy(policy: AuditPolicy, request: AuditRequest): AuditDecision {
  for (const rule of policy.rules) {
    if (ruleMatches(rule, request)) {
      return {
        level: rule.level,
        omitStages: unionStages(policy.omitStages, rule.omitStages),
        omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields,
        rule,
      };
    }
  }
  return { level: 'None', omitStages: unionStages(policy.omitStages, []), omitManagedFields: policy.omitManagedFields };
}

/** Both lists as one, duplicates removed, in first-seen order. */
export function unionStages(first: readonly AuditStage[] | null, second: readonly AuditStage[] | null): AuditStage[] {
  return [...new Set([...(first ?? []), ...(second ?? [])])];
}

export function ruleMatches(rule: AuditPolicyRule, request: AuditRequest): boolean {
  if (rule.users.length > 0 && (request.user === null || !rule.users.includes(request.user.name))) return false;
  if (rule.userGroups.length > 0 && (request.user === null || !request.user.groups.some((group) => rule.userGroups.includes(group)))) return false;
  if (rule.verbs.length > 0 && !rule.verbs.includes(request.verb)) return false;
  // namespaces or resources make a rule about resource requests only; nonResourceURLs is then never consulted.
  if (rule.namespaces.length > 0 || rule.resources.length > 0) return resourceMatches(rule, request);
  if (rule.nonResourceURLs.length > 0) return !request.resourceRequest && rule.nonResourceURLs.some((url) => pathMatches(url, request.path));
  return true;
}

function resourceMatches(rule: AuditPolicyRule, request: AuditRequest): boolean {
  if (!request.resourceRequest) return false;
  if (rule.namespaces.length > 0 && !rule.namespaces.includes(request.namespace)) return false;
  if (rule.resources.length === 0) return true;
  return rule.resources.some((entry) => groupResourcesMatch(entry, request));
}

function groupResourcesMatch(entry: GroupResources, request: AuditRequest): boolean {
  if (entry.group !== request.apiGroup) return false;
  if (entry.resources.length === 0) return true;
  // A resourceNames constraint needs a name: list, watch, deletecollection and create never have one.
  if (entry.resourceNames.length > 0 && !entry.resourceNames.includes(request.name)) return false;
  const combined = request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`;
  return entry.resources.some((resource) => {
    if (resource === combined || resource === '*') return true;
    if (resource.startsWith('*/')) return request.subresource !== '' && resource.slice(2) === request.subresource;
    // Upstream does not require a subresource here: "pods/*" also matches plain pods requests.
    if (resource.endsWith('/*')) return resource.slice(0, -2) === request.resource;
    return false;
  });
}

/** "*", an exact path, or a prefix ending in "*" (a plain string prefix: "/healthz*" matches "/healthzfoo"). */
export function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === path) return true;
  if (!pattern.endsWith('*')) return false;
  return path.startsWith(pattern.replace(/\*+$/, ''));
}
