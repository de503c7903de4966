import type { Inventory } from '../../engine/inventory.js';
import type { InventoryViolation } from '../../engine/types.js';
import type { ResourceRequest } from '../../rbac/authorize.js';
import { describeChain, describeScope, grantAllows, type Grant } from '../../rbac/graph.js';
import { describeSubject } from '../../rbac/model.js';

/**
 * Every (binding, subject) pair outside Kubernetes' own bootstrap policy, and a finding for each one whose
 * effective rules allow any of the requests. The message names the subject, the right and the chain that grants it.
 */
export function grantsAllowing(inventory: Inventory, requests: readonly ResourceRequest[], right: string): { assessed: number; violations: InventoryViolation[] } {
  return grantsWhere(
    inventory,
    (grant) => requests.some((request) => grantAllows(grant, request)),
    () => right,
  );
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
export function grantsAllowingAny(inventory: Inventory, rights: readonly NamedRight[], object = ''): { assessed: number; violations: InventoryViolation[] } {
  const held = (grant: Grant) => rights.map((right) => describeHeld(grant, right)).filter((text): text is string => text !== undefined);
  return grantsWhere(
    inventory,
    (grant) => rights.some((right) => right.requests.some((request) => grantAllows(grant, request))),
    (grant) => `${joinWords(held(grant))}${object ? ` ${object}` : ''}`,
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

/** `a`, `a and b`, `a, b and c`. */
function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Every non-bootstrap grant, and a finding for each one the predicate picks. */
export function grantsWhere(
  inventory: Inventory,
  picks: (grant: Grant) => boolean,
  right: (grant: Grant) => string,
): { assessed: number; violations: InventoryViolation[] } {
  const grants = inventory.rbac.grants().filter((grant) => !grant.binding.bootstrap);
  return { assessed: grants.length, violations: grants.filter(picks).map((grant) => violation(inventory, grant, right(grant))) };
}

export function violation(inventory: Inventory, grant: Grant, right: string): InventoryViolation {
  const subject = inventory.bindingSubjects.get(grant.binding);
  if (!subject) throw new Error(`binding ${grant.binding.name} has no recorded position`);
  return { subject, message: `${describeSubject(grant.subject)} can ${right} ${describeScope(grant)}, via ${describeChain(grant)}` };
}

/** Requests for each verb on a core or grouped resource. */
export function requests(verbs: readonly string[], group: string, resource: string, subresource?: string): ResourceRequest[] {
  return verbs.map((verb) => (subresource ? { verb, group, resource, subresource } : { verb, group, resource }));
}
