/** The authorizer's question behind an audit event, and whose it was: the input of `rbac generate --from-audit`. */
import type { AuditEvent, AuditUser } from './event.js';
import { authorizedName, type AuditedRequest } from '../rbac/generate.js';
import type { RbacSubject } from '../rbac/model.js';

/** The user the API server authorized: the impersonated one when the request impersonated (as audit2rbac). */
export function effectiveUser(event: AuditEvent): AuditUser | undefined {
  return event.impersonatedUser ?? event.user;
}

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** True when the subject made the event's request: its user name, one of its groups, or its service account. */
export function subjectMadeRequest(subject: RbacSubject, event: AuditEvent): boolean {
  const user = effectiveUser(event);
  if (user === undefined) return false;
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'ServiceAccount':
      return user.username === `${SERVICE_ACCOUNT_PREFIX}${subject.namespace}:${subject.name}`;
    case 'Group':
      return user.groups?.includes(subject.name) === true;
  }
}

/** The authorizer's question behind an event, or undefined for an event that names none (no verb, resource or path). */
export function requestOfEvent(event: AuditEvent): AuditedRequest | undefined {
  if (event.verb === undefined || event.verb === '') return undefined;
  const ref = event.objectRef;
  if (ref === undefined) {
    const path = (event.requestURI ?? '').split('?')[0] as string;
    if (!path.startsWith('/')) return undefined;
    return { verb: event.verb, resourceRequest: false, namespace: '', group: '', resource: '', subresource: '', name: '', path };
  }
  // A rule needs a resource: an objectRef without one (hand-written logs) asks nothing a rule could grant.
  if (ref.resource === undefined || ref.resource === '') return undefined;
  return {
    verb: event.verb,
    resourceRequest: true,
    namespace: ref.namespace ?? '',
    group: ref.apiGroup ?? '',
    resource: ref.resource ?? '',
    subresource: ref.subresource ?? '',
    name: authorizedName(event.verb, ref.subresource ?? '', ref.name ?? ''),
    path: '',
  };
}
