import type { Inventory } from '../../engine/inventory.js';
import type { Subject } from '../../engine/types.js';
import type { Endpoint } from '../../netpol/model.js';

/**
 * Where a finding about a reachability endpoint attaches: the workload (or pod) it came from, at its pod
 * template's labels. Objects without a namespace are in `default` for the network model.
 */
export function endpointSubjects(inventory: Inventory): (endpoint: Endpoint) => Subject | undefined {
  const subjects = new Map<string, Subject>();
  for (const entry of inventory.namespaces.values()) {
    for (const workload of entry.workloads) {
      const { kind, name } = workload.subject.resource;
      const key = `${entry.name ?? 'default'}\u0000${kind}\u0000${name ?? ''}`;
      if (!subjects.has(key)) subjects.set(key, workload.subject);
    }
  }
  return (endpoint) => {
    const origin = endpoint.origin;
    return origin ? subjects.get(`${origin.namespace}\u0000${origin.kind}\u0000${origin.name}`) : undefined;
  };
}
