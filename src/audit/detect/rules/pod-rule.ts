/** The shape every "a dangerous pod was created" rule shares: pod creates, judged on the pod the request sent. */
import type { AuditEvent } from '../../event.js';
import type { DetectionMeta, DetectionNeeds } from '../rule.js';
import { eventRule, objectName, podSpecOf, username, type Match } from './support.js';

export const POD_CREATE_NEEDS: DetectionNeeds = {
  level: 'Request',
  stage: 'ResponseComplete',
  requests: [{ verb: 'create', resource: 'pods', name: '' }],
};

/** `check` returns what is dangerous about the pod (and where), or undefined. */
export function podCreateRule(meta: DetectionMeta, check: (spec: Record<string, unknown>) => { what: string; field: string } | undefined) {
  return eventRule(meta, ['pods'], (event: AuditEvent): Match | undefined => {
    if (event.verb !== 'create') return undefined;
    const spec = podSpecOf(event);
    if (!spec) return undefined;
    const found = check(spec);
    return found && { field: `requestObject.${found.field}`, message: `${username(event)} created pod ${objectName(event)} ${found.what}` };
  });
}
