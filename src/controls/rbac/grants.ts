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
