import { isRecord, ownEntry } from '../util/object.js';

/** Owner kinds whose objects the scan judges through the owner's template instead. */
const JUDGED_THROUGH_OWNER: Readonly<Record<string, readonly string[]>> = {
  Pod: ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'],
  ReplicaSet: ['Deployment', 'Rollout'],
  Job: ['CronJob'],
};

/**
 * The controlling owner's kind when the object is made from a template the scan also judges (a Deployment's
 * ReplicaSets and Pods): its findings would repeat the owner's, so it is not judged again. `listedKinds` are the
 * kinds the scan could list; an object whose owner kind could not be listed is judged itself.
 */
export function judgedThroughOwner(object: Record<string, unknown>, listedKinds: ReadonlySet<string>): string | undefined {
  const owners = ownEntry(JUDGED_THROUGH_OWNER, String(object['kind']));
  if (!owners) return undefined;
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const references = Array.isArray(metadata['ownerReferences']) ? metadata['ownerReferences'] : [];
  for (const reference of references) {
    if (!isRecord(reference) || reference['controller'] !== true) continue;
    const kind = String(reference['kind']);
    if (owners.includes(kind) && listedKinds.has(kind)) return kind;
  }
  return undefined;
}
