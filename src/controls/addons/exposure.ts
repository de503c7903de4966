import type { AddonEntry, Inventory } from '../../engine/inventory.js';
import type { InventoryJudgement } from '../../engine/types.js';
import type { AddonName } from '../../kube/addons.js';

/** "exposed through Service x of type NodePort", or what the input does not show. */
function exposureSentence(inventory: Inventory, addon: AddonEntry): string {
  const ways = inventory.exposure.exposureOf(addon.namespace, addon.labels);
  return ways.length > 0
    ? `exposed outside the cluster through ${ways.join(' and ')}`
    : `no NodePort or LoadBalancer Service or Ingress ${inventory.searched} exposes it`;
}

/**
 * One finding per container of the add-on: `facts` about it, then its exposure. Every workload is assessed, since
 * the add-on controls judge what runs wherever it is.
 */
export function* addonFindings(
  inventory: Inventory,
  name: AddonName,
  title: string,
  facts: (addon: AddonEntry) => readonly string[],
): InventoryJudgement {
  for (const addon of inventory.addons) {
    if (addon.addon !== name) continue;
    yield {
      subject: addon.subject,
      message: `${title} is deployed (container "${addon.container}"): ${[...facts(addon), exposureSentence(inventory, addon)].join('; ')}`,
    };
  }
  let assessed = 0;
  for (const entry of inventory.namespaces.values()) assessed += entry.workloads.length;
  return assessed;
}

export function versionFact(addon: AddonEntry): string {
  return addon.version === undefined ? `version unknown (image ${addon.image})` : `version ${addon.version}`;
}
