/** `audit explain`: which rule decides a request, what the event will hold, and why the rules above did not match. */
import { LEVEL_RANK, type AuditStage } from '../event.js';
import { evaluatePolicy, ruleMatches } from './evaluate.js';
import type { AuditDecision, AuditPolicy, AuditPolicyRule, AuditRequest } from './types.js';

export interface Explanation {
  readonly decision: AuditDecision;
  /** Rules above the deciding one, each with the first constraint the request fails. */
  readonly skipped: readonly { readonly rule: AuditPolicyRule; readonly reason: string }[];
  /** What the event holds at the decided level. */
  readonly records: readonly string[];
  readonly stages: { readonly written: readonly AuditStage[]; readonly omitted: readonly AuditStage[] };
}

const STAGES_OF_REQUEST: readonly AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

export function explainRequest(policy: AuditPolicy, request: AuditRequest): Explanation {
  const decision = evaluatePolicy(policy, request);
  const end = decision.rule ? decision.rule.index : policy.rules.length;
  const skipped = policy.rules.slice(0, end).map((rule) => ({ rule, reason: mismatch(rule, request) }));
  const records: string[] = [];
  if (decision.level !== 'None') records.push('user, groups, verb, URI, object reference, source IPs, user agent, response status, annotations');
  if (LEVEL_RANK[decision.level] >= LEVEL_RANK.Request) records.push(request.resourceRequest ? 'the request body (requestObject)' : 'no bodies: non-resource requests have none');
  if (decision.level === 'RequestResponse' && request.resourceRequest) records.push('the response body (responseObject)');
  if (LEVEL_RANK[decision.level] >= LEVEL_RANK.Request && request.resourceRequest) records.push(decision.omitManagedFields ? 'managedFields left out of bodies' : 'managedFields included in bodies');
  const written = decision.level === 'None' ? [] : STAGES_OF_REQUEST.filter((stage) => !decision.omitStages.includes(stage));
  return { decision, skipped, records, stages: { written, omitted: decision.level === 'None' ? [...STAGES_OF_REQUEST] : [...decision.omitStages] } };
}

/** The first constraint of the rule that the request fails, found by checking each constraint on its own. */
function mismatch(rule: AuditPolicyRule, request: AuditRequest): string {
  const only = (fields: Partial<AuditPolicyRule>): AuditPolicyRule => ({
    ...rule, users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], ...fields,
  });
  if (!ruleMatches(only({ users: rule.users }), request)) {
    return request.user === null ? 'names users, and the request has no user (failed authentication)' : `users [${rule.users.join(', ')}] does not include ${request.user.name}`;
  }
  if (!ruleMatches(only({ userGroups: rule.userGroups }), request)) {
    return request.user === null ? 'names groups, and the request has no user (failed authentication)' : `userGroups [${rule.userGroups.join(', ')}] has none of the user's groups`;
  }
  if (!ruleMatches(only({ verbs: rule.verbs }), request)) return `verbs [${rule.verbs.join(', ')}] does not include ${request.verb}`;
  if (rule.namespaces.length > 0 || rule.resources.length > 0) {
    if (!request.resourceRequest) return 'is about resources or namespaces, and this is a non-resource request';
    if (!ruleMatches(only({ namespaces: rule.namespaces }), request)) return `namespaces [${rule.namespaces.map((n) => JSON.stringify(n)).join(', ')}] does not include ${JSON.stringify(request.namespace)}`;
    return 'its resources do not include this group, resource, subresource and name';
  }
  if (rule.nonResourceURLs.length > 0) {
    return request.resourceRequest ? 'is about non-resource URLs, and this is a resource request' : `nonResourceURLs [${rule.nonResourceURLs.join(', ')}] does not match ${request.path}`;
  }
  return 'matches (unexpected)';
}
