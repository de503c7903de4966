/** Exact RBAC matching, as the API server's RBAC authorizer does it (rbac/v1 helpers: VerbMatches and friends). */
import { clusterScopedGroupKinds } from '../kube/scope.js';
import type { PolicyRule } from './model.js';

export interface ResourceRequest {
  readonly verb: string;
  /** API group: "" for the core group. */
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** The object name, when the request is for one object. */
  readonly name?: string;
  /**
   * Asks whether the verb is allowed on at least one object, whatever its name: a rule limited by resourceNames
   * then counts. For rights where one object is enough (update one webhook configuration, patch one Node).
   */
  readonly someObject?: boolean;
}

const has = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);

export function ruleAllows(rule: PolicyRule, request: ResourceRequest): boolean {
  if (!has(rule.verbs, request.verb) || !has(rule.apiGroups, request.group)) return false;
  if (!resourceMatches(rule.resources, request.resource, request.subresource)) return false;
  if (rule.resourceNames.length === 0) return true;
  // Creating an object sends no name to the authorizer (it is in the body), so no resourceNames rule matches it;
  // creates on a subresource (pods/exec, serviceaccounts/token) name their object.
  if (request.verb === 'create' && request.subresource === undefined) return false;
  return request.someObject === true || (request.name !== undefined && rule.resourceNames.includes(request.name));
}

// "*" matches everything, "pods/exec" exactly, and "*/scale" the scale subresource of any resource.
function resourceMatches(resources: readonly string[], resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return resources.some(
    (candidate) => candidate === '*' || candidate === combined || (subresource !== undefined && candidate === `*/${subresource}`),
  );
}

export function ruleAllowsNonResource(rule: PolicyRule, verb: string, path: string): boolean {
  if (!has(rule.verbs, verb)) return false;
  return rule.nonResourceURLs.some((url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1))));
}

/** Parses `pods`, `pods/exec`, `deployments.apps`, `deployments.apps/scale` the way kubectl auth can-i does. */
export function parseResourceArgument(text: string): { group: string; resource: string; subresource?: string } {
  const [typed, subresource] = text.split('/', 2) as [string, string | undefined];
  const dot = typed.indexOf('.');
  const resource = dot === -1 ? typed : typed.slice(0, dot);
  const group = dot === -1 ? '' : typed.slice(dot + 1);
  return subresource ? { group, resource, subresource } : { group, resource };
}

/**
 * The resource name Kubernetes derives from a kind (apimachinery's UnsafeGuessKindToResource): lower case, then
 * "s", "es" after an s, "ies" for a final y. It is exact for every built-in cluster-scoped kind.
 */
export function resourceOfKind(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * Resources that are not namespaced: a RoleBinding can never grant them, whatever its role says (the API server
 * evaluates RoleBindings only for requests inside their namespace). Derived from the one list of cluster-scoped
 * kinds, so a kind added there (ValidatingAdmissionPolicy, MutatingAdmissionPolicy...) is known here too.
 */
const CLUSTER_SCOPED = new Set([
  ...[...clusterScopedGroupKinds()].flatMap((groupKind) => {
    const slash = groupKind.indexOf('/');
    const [group, kind] = slash === -1 ? ['', groupKind] : [groupKind.slice(0, slash), groupKind.slice(slash + 1)];
    // Namespace objects are the exception, handled in isClusterScoped.
    return kind === 'Namespace' && group === '' ? [] : [`${group}/${resourceOfKind(kind)}`];
  }),
  // Impersonation targets are not namespaced either.
  '/users', '/groups', 'authentication.k8s.io/uids', 'authentication.k8s.io/userextras',
]);

/**
 * Verbs on one named Namespace object. The API server files a request for /api/v1/namespaces/NAME under namespace
 * NAME, so a RoleBinding in NAME grants them on its own Namespace (the RBAC good practices' "namespace
 * modification"); creating, listing and watching namespaces stay cluster-wide.
 */
const NAMESPACE_OBJECT_VERBS = new Set(['get', 'update', 'patch', 'delete']);

export function isClusterScoped(request: ResourceRequest): boolean {
  if (request.group === '' && request.resource === 'namespaces') return !NAMESPACE_OBJECT_VERBS.has(request.verb);
  return CLUSTER_SCOPED.has(`${request.group}/${request.resource}`);
}
