/**
 * Least-privilege Roles and ClusterRoles from the requests one subject made (`rbac generate --from-audit`). The
 * grants follow audit2rbac (liggitt/audit2rbac, pkg/process.go) where it is least privilege, and differ where it
 * widens (see docs/peer-differences.md): by default the verbs are exactly those requested and a request made in two
 * namespaces gets a Role in each, not a ClusterRole; both widenings are options, so the audit2rbac demo can be
 * compared grant for grant.
 */
import { isClusterScoped, ruleAllowsNonResource } from './authorize.js';
import type { PolicyRule } from './model.js';

/** What the authorizer was asked (audit2rbac's AttributesRecord); src/audit/audited-request.ts derives it from events. */
export interface AuditedRequest {
  readonly verb: string;
  readonly resourceRequest: boolean;
  /** '' for cluster-scoped and all-namespace requests. */
  readonly namespace: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  /** '' when the request named no object. */
  readonly name: string;
  /** Non-resource requests: the URL path without its query. */
  readonly path: string;
}

export interface GenerateOptions {
  /** audit2rbac's verb expansions (list → get, watch; update → get, patch; ...). Off: only the verbs requested. */
  readonly expandVerbs: boolean;
  /** audit2rbac's multi-namespace expansion: the same request in two namespaces is allowed in every namespace. */
  readonly expandNamespaces: boolean;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = { expandVerbs: false, expandNamespaces: false };

/** audit2rbac's DefaultGenerateOptions().VerbExpansions. */
const VERB_EXPANSIONS: Readonly<Record<string, readonly string[]>> = {
  watch: ['get', 'list'],
  list: ['get', 'watch'],
  update: ['get', 'patch'],
  patch: ['get', 'update'],
};

/** The generated rules of one role: `namespace` null for the ClusterRole. */
export interface GeneratedRole {
  readonly namespace: string | null;
  readonly rules: readonly PolicyRule[];
}

/**
 * Rules every authenticated user already has through the bootstrap policy of current API servers
 * (system:discovery, system:public-info-viewer, system:basic-user): requests they allow need no grant.
 */
const AUTHENTICATED_RULES: readonly PolicyRule[] = [
  rule(['get'], [], [], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/readyz', '/version', '/version/', '/openapi', '/openapi/*']),
  rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
  rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
];

function rule(verbs: string[], apiGroups: string[], resources: string[], nonResourceURLs: string[] = [], resourceNames: string[] = []): PolicyRule {
  return { verbs, apiGroups, resources, resourceNames, nonResourceURLs };
}

/** The name the authorizer sees: none for a create (it is in the body), though the audit event records it. */
export function authorizedName(verb: string, subresource: string, name: string): string {
  return verb === 'create' && subresource === '' ? '' : name;
}

/** One verb on one resource (or URL) in one scope: what the generated rules are built from. */
interface Grant {
  /** '' for the ClusterRole. */
  readonly namespace: string;
  readonly verb: string;
  readonly group: string;
  /** `pods` or `pods/exec`; '' for a non-resource URL. */
  readonly resource: string;
  readonly name: string;
  readonly path: string;
}

/** Roles covering every request, grouped by namespace (the ClusterRole first), rules in a stable order. */
export function generateRoles(requests: Iterable<AuditedRequest>, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): GeneratedRole[] {
  const unique = new Map<string, AuditedRequest>();
  for (const request of requests) {
    if (alreadyAllowed(request)) continue;
    unique.set(JSON.stringify(request), request);
  }
  const list = [...unique.values()];
  const grants = new Map<string, Grant>();
  for (const request of list) {
    for (const grant of grantsOf(request, list, options)) grants.set(grantKey(grant), grant);
  }
  const needed = [...grants.values()].filter((grant) => !coveredByBroader(grant, grants));
  const byNamespace = new Map<string, Grant[]>();
  for (const grant of needed) byNamespace.set(grant.namespace, [...(byNamespace.get(grant.namespace) ?? []), grant]);
  return [...byNamespace.keys()].sort().map((namespace) => ({ namespace: namespace === '' ? null : namespace, rules: compactRules(byNamespace.get(namespace) ?? []) }));
}

function alreadyAllowed(request: AuditedRequest): boolean {
  if (!request.resourceRequest) return AUTHENTICATED_RULES.some((candidate) => ruleAllowsNonResource(candidate, request.verb, request.path));
  return request.subresource === '' && AUTHENTICATED_RULES.some((candidate) => candidate.verbs.includes(request.verb) && candidate.apiGroups.includes(request.group) && candidate.resources.includes(request.resource));
}

function grantsOf(request: AuditedRequest, all: readonly AuditedRequest[], options: GenerateOptions): Grant[] {
  const verbs = [request.verb, ...(options.expandVerbs ? (VERB_EXPANSIONS[request.verb] ?? []) : [])];
  if (!request.resourceRequest) return verbs.map((verb) => ({ namespace: '', verb, group: '', resource: '', name: '', path: request.path }));
  const resource = request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`;
  const clusterScoped = request.namespace === '' || isClusterScoped({ verb: request.verb, group: request.group, resource: request.resource, ...(request.subresource ? { subresource: request.subresource } : {}) });
  // As audit2rbac: the same request on two names (in two namespaces, when expanding) is allowed on any name (namespace).
  const same = all.filter((other) => other.resourceRequest && other.verb === request.verb && other.group === request.group && other.resource === request.resource && other.subresource === request.subresource);
  const inOtherNamespace = options.expandNamespaces && same.some((other) => other.namespace !== '' && other.namespace !== request.namespace);
  const sameScope = same.filter((other) => options.expandNamespaces || other.namespace === request.namespace);
  const onOtherName = sameScope.some((other) => other.name !== '' && other.name !== request.name);
  const namespace = clusterScoped || inOtherNamespace ? '' : request.namespace;
  const name = onOtherName ? '' : authorizedName(request.verb, request.subresource, request.name);
  return verbs.map((verb) => ({ namespace, verb, group: request.group, resource, name, path: '' }));
}

function grantKey(grant: Grant): string {
  return JSON.stringify([grant.namespace, grant.verb, grant.group, grant.resource, grant.name, grant.path]);
}

/** A named grant beside the unnamed one, or a namespaced grant beside the same one cluster-wide, adds nothing. */
function coveredByBroader(grant: Grant, grants: ReadonlyMap<string, Grant>): boolean {
  if (grant.path !== '') return false;
  const broader: Grant[] = [];
  if (grant.name !== '') broader.push({ ...grant, name: '' });
  if (grant.namespace !== '') broader.push({ ...grant, namespace: '' }, { ...grant, namespace: '', name: '' });
  return broader.some((candidate) => grants.has(grantKey(candidate)));
}

/**
 * Few rules, each readable: verbs gathered per resource (and name), then resources with the same verbs (unnamed)
 * or names of one resource with the same verbs; non-resource URLs with the same verbs together, last.
 */
function compactRules(grants: readonly Grant[]): PolicyRule[] {
  const verbsOf = new Map<string, Set<string>>();
  for (const grant of grants) {
    const key = JSON.stringify([grant.group, grant.resource, grant.name, grant.path]);
    verbsOf.set(key, (verbsOf.get(key) ?? new Set()).add(grant.verb));
  }
  const merged = new Map<string, { group: string; verbs: string[]; resources: Set<string>; names: Set<string>; urls: Set<string> }>();
  for (const [key, verbSet] of verbsOf) {
    const [group, resource, name, path] = JSON.parse(key) as [string, string, string, string];
    const verbs = [...verbSet].sort();
    // Named grants merge only within one resource: a rule's names apply to all its resources.
    const mergeKey = JSON.stringify(path !== '' ? ['url', verbs] : name !== '' ? ['named', group, resource, verbs] : ['resource', group, verbs]);
    const entry = merged.get(mergeKey) ?? { group, verbs, resources: new Set<string>(), names: new Set<string>(), urls: new Set<string>() };
    if (path !== '') entry.urls.add(path);
    else entry.resources.add(resource);
    if (name !== '') entry.names.add(name);
    merged.set(mergeKey, entry);
  }
  const rules = [...merged.values()].map((entry) =>
    entry.urls.size > 0 ? rule(entry.verbs, [], [], [...entry.urls].sort()) : rule(entry.verbs, [entry.group], [...entry.resources].sort(), [], [...entry.names].sort()),
  );
  return rules.sort((a, b) => compareText(ruleSortKey(a), ruleSortKey(b)));
}

function ruleSortKey(rule: PolicyRule): string {
  return JSON.stringify([rule.nonResourceURLs.length > 0 ? 1 : 0, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs, rule.verbs]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
