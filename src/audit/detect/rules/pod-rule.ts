/**
 * The shape every "a dangerous pod was created" rule shares: pod creates, judged on the pod the request sent. Rules
 * about containers also judge ephemeral containers added to running pods (`kubectl debug`), since that is the only
 * way one gets into a pod: a create that lists ephemeralContainers is refused by validation.
 */
import { isRecord } from '../../../util/object.js';
import type { AuditEvent } from '../../event.js';
import type { DetectionMeta, DetectionNeeds, DetectionRule } from '../rule.js';
import { bodyField, eventRule, failureCode, objectName, podSpecOf, username, writtenObject, type Match } from './support.js';

export const POD_CREATE_NEEDS: DetectionNeeds = {
  level: 'Request',
  stage: 'ResponseComplete',
  requests: [{ verb: 'create', resource: 'pods', name: '' }],
};

/** For rules that also judge ephemeral containers: their writes must be recorded with the body too. */
export const POD_AND_EPHEMERAL_NEEDS: DetectionNeeds = {
  ...POD_CREATE_NEEDS,
  requests: [...POD_CREATE_NEEDS.requests, { verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', name: 'web-0' }],
};

export type PodCheck = (spec: Record<string, unknown>) => { what: string; field: string } | undefined;

/**
 * `check` returns what is dangerous about the pod (and where), or undefined. With `ephemeral`, writes of
 * pods/ephemeralcontainers are judged too, on their ephemeral containers only (the rest of the pod was judged when
 * it was created).
 */
export function podCreateRule(meta: DetectionMeta, check: PodCheck, options: { ephemeral?: boolean } = {}): DetectionRule {
  const resources = options.ephemeral ? ['pods', 'pods/ephemeralcontainers'] : ['pods'];
  return eventRule(meta, resources, (event: AuditEvent): Match | undefined => {
    if (event.objectRef?.subresource === 'ephemeralcontainers') return ephemeralMatch(event, check);
    if (event.verb !== 'create') return undefined;
    const spec = podSpecOf(event);
    if (!spec) return undefined;
    const found = check(spec);
    const did = failureCode(event) === undefined ? 'created' : 'tried to create';
    return found && { field: `${bodyField(event)}.${found.field}`, message: `${username(event)} ${did} pod ${objectName(event)} ${found.what}` };
  });
}

function ephemeralMatch(event: AuditEvent, check: PodCheck): Match | undefined {
  if (event.verb !== 'update' && event.verb !== 'patch') return undefined;
  const body = writtenObject(event);
  const spec = body && isRecord(body.spec) ? body.spec : undefined;
  if (!spec || !Array.isArray(spec.ephemeralContainers)) return undefined;
  const found = check({ ephemeralContainers: spec.ephemeralContainers });
  const did = failureCode(event) === undefined ? 'added' : 'tried to add';
  return found && { field: `${bodyField(event)}.${found.field}`, message: `${username(event)} ${did} an ephemeral container to pod ${objectName(event)} ${found.what}` };
}
