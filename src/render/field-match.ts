/**
 * A field of a rendered object, found again in a document that contributed to it (a base file, a strategic-merge
 * patch): keys are the same, but list items are matched as Kubernetes merges them (by `name`, `containerPort`,
 * `mountPath`… or, for lists of scalars, by value), since a patch's `containers[0]` may be the object's second.
 */
import type { FieldPath } from '../vocabulary/field-path.js';
import { isRecord } from '../util/object.js';

/** The merge keys of the lists in Kubernetes objects, most common first. */
const MERGE_KEYS = ['name', 'containerPort', 'mountPath', 'devicePath', 'ip', 'topologyKey', 'type', 'port'] as const;

/**
 * The path in `source` that stands for `path` in `rendered`, as far as `source` has it: `complete` when every
 * element was found.
 */
export function matchPath(rendered: unknown, source: unknown, path: FieldPath): { path: FieldPath; complete: boolean } {
  const matched: (string | number)[] = [];
  let here = rendered;
  let there = source;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(here) || !Array.isArray(there)) return { path: matched, complete: false };
      const item: unknown = here[segment];
      const index = matchingItem(item, there, segment);
      if (index === undefined) return { path: matched, complete: false };
      matched.push(index);
      here = item;
      there = there[index];
    } else {
      if (!isRecord(here) || !isRecord(there) || !(segment in there)) return { path: matched, complete: false };
      matched.push(segment);
      here = here[segment];
      there = there[segment];
    }
  }
  return { path: matched, complete: true };
}

function matchingItem(item: unknown, list: readonly unknown[], index: number): number | undefined {
  if (isRecord(item)) {
    for (const key of MERGE_KEYS) {
      const value = item[key];
      if (value === undefined || value === null || typeof value === 'object') continue;
      const found = list.findIndex((candidate) => isRecord(candidate) && candidate[key] === value);
      if (found !== -1) return found;
      // An item with a merge key the source lacks is not in the source, whatever its position.
      return undefined;
    }
    return index < list.length && isRecord(list[index]) ? index : undefined;
  }
  const found = list.indexOf(item);
  return found === -1 ? undefined : found;
}
