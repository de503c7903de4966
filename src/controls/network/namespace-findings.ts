import { describeNamespace, type Inventory, type NamespaceEntry } from '../../engine/inventory.js';
import type { InventoryJudgement } from '../../engine/types.js';
import type { Subject } from '../../vocabulary/finding.js';

/**
 * Namespaces a namespace-level control judges: every namespace the input declares or runs a workload in.
 * Findings attach to the Namespace object when the input declares it, else to the first object seen there.
 */
export function judgedNamespaces(inventory: Inventory): { entry: NamespaceEntry; subject: Subject }[] {
  const judged: { entry: NamespaceEntry; subject: Subject }[] = [];
  for (const entry of inventory.namespaces.values()) {
    if (entry.workloads.length === 0 && !entry.declared) continue;
    const subject = entry.declared ?? entry.firstUse;
    if (subject) judged.push({ entry, subject });
  }
  return judged;
}

/** One finding per namespace that lacks something, saying that the scanned files are what was searched. */
export function* namespacesWithout(inventory: Inventory, lacks: (entry: NamespaceEntry) => boolean, what: string): InventoryJudgement {
  const judged = judgedNamespaces(inventory);
  for (const { entry, subject } of judged) {
    if (!lacks(entry)) continue;
    yield {
      subject,
      message: `no ${what} in ${describeNamespace(entry)} ${inventory.searched}`,
      // The subject is the first object seen there, which moves when files are reordered; the namespace does not.
      about: `Namespace/${entry.name ?? ''}`,
    };
  }
  return judged.length;
}
