import type { Inventory } from '../../engine/inventory.js';
import type { InventoryJudgement } from '../../engine/types.js';
import type { Subject } from '../../vocabulary/finding.js';
import type { Reachability } from '../../netpol/engine.js';
import type { Direction } from '../../kube/network-policy.js';
import type { Endpoint } from '../../netpol/model.js';

/**
 * Where a finding about a reachability endpoint attaches: the workload (or pod) it came from, at its pod
 * template's labels (looked up in the inventory's workload table, not copied into a map of every workload).
 */
function endpointSubjects(inventory: Inventory): (endpoint: Endpoint) => Subject | undefined {
  return (endpoint) => {
    const origin = endpoint.origin;
    return origin ? inventory.workloadSubject(origin.namespace, origin.kind, origin.name) : undefined;
  };
}

/**
 * The shape of the controls that judge what policies leave open in one direction: every workload with a subject is
 * assessed, but a pod no policy isolates in that direction is left to NET-WORKLOAD-ISOLATED and
 * NET-DEFAULT-DENY-EGRESS, which report it already; host-network pods, which policy cannot govern, are judged.
 * `judge` returns the finding's message, or undefined.
 */
export function* judgeIsolatedEndpoints(
  inventory: Inventory,
  direction: Direction,
  judge: (reachability: Reachability, index: number, endpoint: Endpoint) => string | undefined,
): InventoryJudgement {
  const reachability = inventory.reachability();
  const subjectOf = endpointSubjects(inventory);
  let assessed = 0;
  for (const [index, endpoint] of reachability.endpoints.entries()) {
    const subject = subjectOf(endpoint);
    if (!subject) continue;
    assessed++;
    if (reachability.isGoverned(index) && !reachability.isolated(index, direction)) continue;
    const message = judge(reachability, index, endpoint);
    if (message) yield { subject, message };
  }
  return assessed;
}
