/** Exact RBAC matching, as the API server's RBAC authorizer does it (rbac/v1 helpers: VerbMatches and friends). */
import type { PolicyRule } from './model.js';

export interface ResourceRequest {
  readonly verb: string;
  /** API group: "" for the core group. */
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** The object name, when the request is for one object. */
  readonly name?: string;
}

const has = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);

export function ruleAllows(rule: PolicyRule, request: ResourceRequest): boolean {
  if (!has(rule.verbs, request.verb) || !has(rule.apiGroups, request.group)) return false;
  if (!resourceMatches(rule.resources, request.resource, request.subresource)) return false;
  if (rule.resourceNames.length === 0) return true;
  return request.name !== undefined && rule.resourceNames.includes(request.name);
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
 * Resources that are not namespaced: a RoleBinding can never grant them, whatever its role says
 * (the API server evaluates RoleBindings only for requests inside their namespace).
 */
const CLUSTER_SCOPED = new Set([
  '/nodes', '/persistentvolumes', '/namespaces', '/componentstatuses',
  'certificates.k8s.io/certificatesigningrequests', 'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings', 'storage.k8s.io/storageclasses', 'storage.k8s.io/csidrivers',
  'storage.k8s.io/csinodes', 'storage.k8s.io/volumeattachments', 'apiextensions.k8s.io/customresourcedefinitions',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations', 'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'scheduling.k8s.io/priorityclasses', 'node.k8s.io/runtimeclasses', 'apiregistration.k8s.io/apiservices',
  // Impersonation targets are not namespaced either.
  '/users', '/groups', 'authentication.k8s.io/uids',
]);

export function isClusterScoped(request: ResourceRequest): boolean {
  return CLUSTER_SCOPED.has(`${request.group}/${request.resource}`);
}
