import type { Inventory } from '../../engine/inventory.js';
import type { InventoryJudgement, InventoryViolation } from '../../engine/types.js';
import { isClusterScoped, ruleAllows, type ResourceRequest } from '../../rbac/authorize.js';
import { describeChain, describeScope, grantAllows, type Grant } from '../../rbac/graph.js';
import { describeSubject } from '../../rbac/model.js';
import { joinWords } from '../../util/words.js';

/**
 * Every (binding, subject) pair outside Kubernetes' own bootstrap policy, and a finding for each one whose
 * effective rules allow any of the requests. The message names the subject, the right and the chain that grants it.
 */
export function grantsAllowing(inventory: Inventory, requests: readonly ResourceRequest[], right: string): InventoryJudgement {
  return grantsWhere(
    inventory,
    (grant) => requests.some((request) => grantAllows(grant, request)),
    () => right,
    (grant) => onlyClusterScoped(grant, requests),
  );
}

/** True when every request the grant allows is on a cluster-scoped resource: the finding then says "cluster-wide". */
function onlyClusterScoped(grant: Grant, requests: readonly ResourceRequest[]): boolean {
  return requests.filter((request) => grantAllows(grant, request)).every(isClusterScoped);
}

/** One of several rights a control looks for: its name in messages, and the requests any of which amounts to it. */
export interface NamedRight {
  readonly right: string;
  readonly requests: readonly ResourceRequest[];
}

/**
 * Like `grantsAllowing`, for a control that covers several rights: the message names each right the grant holds
 * (`escalate (clusterroles) and impersonate (users, groups)`), so the reader knows what to take away.
 */
export function grantsAllowingAny(inventory: Inventory, rights: readonly NamedRight[], object = ''): InventoryJudgement {
  const held = (grant: Grant) => rights.map((right) => describeHeld(grant, right)).filter((text): text is string => text !== undefined);
  return grantsWhere(
    inventory,
    (grant) => rights.some((right) => right.requests.some((request) => grantAllows(grant, request))),
    (grant) => `${joinWords(held(grant))}${object ? ` ${object}` : ''}`,
    (grant) => onlyClusterScoped(grant, rights.flatMap((right) => right.requests)),
  );
}

/** A right the grant holds, with the resources it holds it on when the right spans several; undefined if not held. */
function describeHeld(grant: Grant, right: NamedRight): string | undefined {
  const allowed = right.requests.filter((request) => grantAllows(grant, request));
  if (allowed.length === 0) return undefined;
  const resourceOf = (request: ResourceRequest) => (request.subresource ? `${request.resource}/${request.subresource}` : request.resource);
  if (new Set(right.requests.map(resourceOf)).size === 1) return right.right;
  return `${right.right} (${[...new Set(allowed.map(resourceOf))].join(', ')})`;
}

/** Every non-bootstrap grant, and a finding for each one the predicate picks. */
export function* grantsWhere(
  inventory: Inventory,
  picks: (grant: Grant) => boolean,
  right: (grant: Grant) => string,
  clusterScoped: (grant: Grant) => boolean = () => false,
): InventoryJudgement {
  const grants = inventory.rbac.grants().filter((grant) => !grant.binding.bootstrap);
  for (const grant of grants) if (picks(grant)) yield violation(inventory, grant, right(grant), clusterScoped(grant));
  return grants.length;
}

export function violation(inventory: Inventory, grant: Grant, right: string, clusterScoped = false): InventoryViolation {
  const subject = inventory.bindingSubjects.get(grant.binding);
  if (!subject) throw new Error(`binding ${grant.binding.name} has no recorded position`);
  return { subject, message: `${describeSubject(grant.subject)} can ${right} ${describeScope(grant, clusterScoped)}, via ${describeChain(grant)}` };
}

/** Requests for each verb on a core or grouped resource. */
export function requests(verbs: readonly string[], group: string, resource: string, subresource?: string): ResourceRequest[] {
  return verbs.map((verb) => (subresource ? { verb, group, resource, subresource } : { verb, group, resource }));
}

/** The same requests, asked of at least one object: rules limited by resourceNames count too. */
export function onSomeObject(list: readonly ResourceRequest[]): ResourceRequest[] {
  return list.map((request) => ({ ...request, someObject: true }));
}

/**
 * Like grantsAllowing, for a right made of several requests: the message names exactly the verbs and resources
 * the grant allows ("create or patch mutatingwebhookconfigurations"), and the names a resourceNames rule limits
 * them to, so the finding says what to remove.
 */
export function grantsAllowingWhich(inventory: Inventory, candidates: readonly ResourceRequest[]): InventoryJudgement {
  const allowed = (grant: Grant) => candidates.filter((request) => grantAllows(grant, request));
  return grantsWhere(
    inventory,
    (grant) => allowed(grant).length > 0,
    (grant) => describeRequests(grant, allowed(grant)),
    (grant) => onlyClusterScoped(grant, candidates),
  );
}

/** "create, update or patch a and b; patch c named x": verbs per resource, resources with the same verbs together. */
function describeRequests(grant: Grant, allowed: readonly ResourceRequest[]): string {
  const verbsByResource = new Map<string, string[]>();
  for (const request of allowed) {
    const resource = `${request.resource}${request.subresource ? `/${request.subresource}` : ''}${namedOnly(grant, request)}`;
    verbsByResource.set(resource, [...(verbsByResource.get(resource) ?? []), request.verb]);
  }
  const resourcesByVerbs = new Map<string, string[]>();
  for (const [resource, verbs] of verbsByResource) {
    const key = joinWords(verbs, 'or');
    resourcesByVerbs.set(key, [...(resourcesByVerbs.get(key) ?? []), resource]);
  }
  return [...resourcesByVerbs].map(([verbs, resources]) => `${verbs} ${joinWords(resources)}`).join('; ');
}

/** " named a and b" when only rules limited by resourceNames allow the request; "" when any object will do. */
function namedOnly(grant: Grant, request: ResourceRequest): string {
  if (request.someObject !== true) return '';
  const rules = grant.rules.filter((rule) => ruleAllows(rule, request));
  if (rules.some((rule) => rule.resourceNames.length === 0)) return '';
  return ` named ${joinWords([...new Set(rules.flatMap((rule) => rule.resourceNames))])}`;
}
