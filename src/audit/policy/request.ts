/** The request attributes the policy sees, recovered from a logged audit event (for replaying logs under another policy). */
import type { AuditEvent } from '../event.js';
import type { AuditRequest } from './types.js';

export function requestFromEvent(event: AuditEvent): AuditRequest {
  const uri = event.requestURI ?? '';
  const query = uri.indexOf('?');
  const path = query === -1 ? uri : uri.slice(0, query);
  const username = event.user?.username;
  // Failed authentication is evaluated without a user; its events carry an empty one.
  const user = username ? { name: username, groups: event.user?.groups ?? [] } : null;
  const verb = event.verb ?? '';
  const ref = event.objectRef;
  if (ref?.resource) {
    return {
      user,
      verb,
      resourceRequest: true,
      namespace: ref.namespace ?? '',
      apiGroup: ref.apiGroup ?? '',
      resource: ref.resource,
      subresource: ref.subresource ?? '',
      name: ref.name ?? '',
      path,
    };
  }
  return { user, verb, ...parseApiPath(path), path };
}

type PathAttributes = Pick<AuditRequest, 'resourceRequest' | 'namespace' | 'apiGroup' | 'resource' | 'subresource' | 'name'>;

const NON_RESOURCE: PathAttributes = { resourceRequest: false, namespace: '', apiGroup: '', resource: '', subresource: '', name: '' };

/**
 * `/api/v1/namespaces/a/pods/b/log` → pods/log named b in a; `/apis/apps/v1/deployments` → deployments.apps. Paths
 * outside /api and /apis, and the discovery paths (/api, /apis/apps/v1), are non-resource requests, as upstream's
 * RequestInfoFactory decides.
 */
export function parseApiPath(path: string): PathAttributes {
  const parts = path.split('/').filter((part) => part !== '');
  let rest: string[];
  let apiGroup: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiGroup = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiGroup = parts[1] as string;
    rest = parts.slice(3);
  } else {
    return NON_RESOURCE;
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1] as string;
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    // /api/v1/namespaces/a is the Namespace named a (cluster-scoped; upstream sets its namespace to a).
    return { resourceRequest: true, namespace: rest[1] as string, apiGroup, resource: 'namespaces', subresource: '', name: rest[1] as string };
  }
  if (rest.length === 0) return NON_RESOURCE;
  return { resourceRequest: true, namespace, apiGroup, resource: rest[0] as string, name: rest[1] ?? '', subresource: rest.slice(2).join('/') };
}
