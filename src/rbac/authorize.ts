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
