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
  const allowed = allowedOf(requests);
  return grantsWhere(
    inventory,
    (grant) => allowed(grant).length > 0,
    () => right,
    (grant) => allowed(grant).every(isClusterScoped),
  );
}

/**
 * The requests a grant allows, worked out once per grant: a control asks for them to pick the grant, to word the
 * finding, and to say "cluster-wide" (when every one of them is on a cluster-scoped resource).
 */
function allowedOf(requests: readonly ResourceRequest[]): (grant: Grant) => readonly ResourceRequest[] {
  const known = new Map<Grant, readonly ResourceRequest[]>();
  return (grant) => {
    let allowed = known.get(grant);
    if (allowed === undefined) known.set(grant, (allowed = requests.filter((request) => grantAllows(grant, request))));
    return allowed;
  };
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
  const byRight = rights.map((right) => ({ right, allowedBy: allowedOf(right.requests) }));
  const held = (grant: Grant) => byRight.map(({ right, allowedBy }) => describeHeld(right, allowedBy(grant))).filter((text): text is string => text !== undefined);
  const allowed = allowedOf(rights.flatMap((right) => right.requests));
  return grantsWhere(
    inventory,
    (grant) => allowed(grant).length > 0,
    (grant) => `${joinWords(held(grant))}${object ? ` ${object}` : ''}`,
    (grant) => allowed(grant).every(isClusterScoped),
  );
}

/**
 * A right a grant holds (`allowed`: the right's requests the grant allows), with the resources it holds it on when
 * the right spans several; undefined if not held.
 */
function describeHeld(right: NamedRight, allowed: readonly ResourceRequest[]): string | undefined {
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
  const allowed = allowedOf(candidates);
  return grantsWhere(
    inventory,
    (grant) => allowed(grant).length > 0,
    (grant) => describeRequests(grant, allowed(grant)),
    (grant) => allowed(grant).every(isClusterScoped),
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
