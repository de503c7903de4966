import type { ResourceRef } from '../vocabulary/finding.js';
import { detach, isRecord } from '../util/object.js';

/** Which object a finding is about: apiVersion, kind, namespace and name (or generateName), detached from the input text. */
export function resourceRef(object: Record<string, unknown>): ResourceRef {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : null;
  return {
    apiVersion: detach(String(object.apiVersion)),
    kind: detach(String(object.kind)),
    namespace: typeof metadata.namespace === 'string' ? detach(metadata.namespace) : null,
    name: name === null ? null : detach(name),
  };
}
