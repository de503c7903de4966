/**
 * Resolves roles (with ClusterRole aggregation) and bindings into who holds which rules, where, and through
 * which chain of objects.
 */
import { selectorMatches } from '../kube/label-selector.js';
import { isClusterScoped, ruleAllows, ruleAllowsNonResource, type ResourceRequest } from './authorize.js';
import type { BindingObject, PolicyRule, RbacSubject, RoleObject } from './model.js';

export interface Grant {
  readonly subject: RbacSubject;
  readonly binding: BindingObject;
  readonly role: RoleObject | undefined;
  /** ClusterRoleBindings apply everywhere; RoleBindings only in their namespace. */
  readonly clusterWide: boolean;
  /** The RoleBinding's namespace; null when the manifest leaves it to be set when applied. */
  readonly namespace: string | null;
  readonly rules: readonly PolicyRule[];
  /** ClusterRoles whose rules were aggregated into the bound role. */
  readonly aggregatedFrom: readonly string[];
}

export class RbacGraph {
  readonly roles: RoleObject[] = [];
  readonly bindings: BindingObject[] = [];
  /** Roles by kind, namespace and name: bindings look their role up here, never by a scan of all roles. */
  private readonly roleIndex = new Map<string, RoleObject>();
  private resolved: Map<string, { rules: PolicyRule[]; from: string[] }> | undefined;
  private grantCache: Grant[] | undefined;

  addRole(role: RoleObject): void {
    this.roles.push(role);
    this.roleIndex.set(roleKey(role.kind, role.name, role.namespace), role);
    this.resolved = undefined;
    this.grantCache = undefined;
  }

  addBinding(binding: BindingObject): void {
    this.bindings.push(binding);
    this.grantCache = undefined;
  }

  /** Effective rules of a role: a ClusterRole with an aggregationRule gets the rules of every ClusterRole it selects. */
  rulesOf(kind: 'Role' | 'ClusterRole', name: string, namespace: string | null): { role: RoleObject | undefined; rules: readonly PolicyRule[]; from: readonly string[] } {
    const role = this.roleIndex.get(roleKey(kind, name, kind === 'ClusterRole' ? null : namespace));
    if (!role) return { role, rules: [], from: [] };
    if (role.kind === 'Role' || role.aggregationSelectors === undefined) return { role, rules: role.rules, from: [] };
    this.resolved ??= new Map();
    const cached = this.resolved.get(role.name);
    if (cached) return { role, ...cached };
    const aggregated = this.aggregate(role, new Set());
    this.resolved.set(role.name, aggregated);
    return { role, rules: aggregated.rules, from: aggregated.from };
  }

  private aggregate(role: RoleObject, visiting: Set<string>): { rules: PolicyRule[]; from: string[] } {
    visiting.add(role.name);
    // The aggregation controller replaces an aggregated role's rules with the union of the roles it selects. A
    // dump of a live cluster already holds that union, and manifests leave the list empty, so keeping the written
    // rules is exact for both (and keeps roles that select each other well defined).
    const rules = [...role.rules];
    const from: string[] = [];
    for (const candidate of this.roles) {
      if (candidate.kind !== 'ClusterRole' || visiting.has(candidate.name)) continue;
      if (!(role.aggregationSelectors ?? []).some((selector) => selectorMatches(selector, candidate.labels))) continue;
      from.push(candidate.name);
      const inner = candidate.aggregationSelectors === undefined ? { rules: candidate.rules, from: [] } : this.aggregate(candidate, visiting);
      rules.push(...inner.rules);
      from.push(...inner.from);
    }
    return { rules, from: [...new Set(from)] };
  }

  /** Every (binding, subject) pair with the effective rules it grants; computed once until objects are added. */
  grants(): Grant[] {
    return (this.grantCache ??= this.bindings.flatMap((binding) => {
      const { role, rules, from } = this.rulesOf(binding.roleRef.kind, binding.roleRef.name, binding.namespace);
      return binding.subjects.map((subject) => ({ subject, binding, role, clusterWide: binding.kind === 'ClusterRoleBinding', namespace: binding.namespace, rules, aggregatedFrom: from }));
    }));
  }

  /**
   * Grants that allow the request in the namespace. A ClusterRoleBinding applies everywhere; a RoleBinding only in
   * its namespace (or in any, when the manifest leaves the namespace to be set on apply) and never to
   * cluster-scoped resources.
   */
  whoCan(request: ResourceRequest, namespace: string | null): Grant[] {
    return this.grants().filter((grant) => grantAllows(grant, request) && (grant.clusterWide || namespace === null || grant.namespace === null || grant.namespace === namespace));
  }

  whoCanNonResource(verb: string, path: string): Grant[] {
    return this.grants().filter((grant) => grant.clusterWide && grant.rules.some((rule) => ruleAllowsNonResource(rule, verb, path)));
  }

  /**
   * Every grant a subject holds. A ServiceAccount is also the user system:serviceaccount:NS:NAME and a member of
   * the groups system:serviceaccounts, system:serviceaccounts:NS and system:authenticated.
   */
  grantsOf(kind: RbacSubject['kind'], name: string, namespace: string | null): Grant[] {
    const identities = new Set([`${kind}\u0000${kind === 'ServiceAccount' ? `${namespace}/` : ''}${name}`]);
    if (kind === 'ServiceAccount') {
      identities.add(`User\u0000system:serviceaccount:${namespace}:${name}`);
      for (const group of ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated']) identities.add(`Group\u0000${group}`);
    }
    return this.grants().filter((grant) => {
      const subject = grant.subject;
      const id = `${subject.kind}\u0000${subject.kind === 'ServiceAccount' ? `${subject.namespace}/` : ''}${subject.name}`;
      return identities.has(id);
    });
  }
}

function roleKey(kind: string, name: string, namespace: string | null): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** Does the grant allow the request, taking into account that RoleBindings cannot grant cluster-scoped resources? */
export function grantAllows(grant: Grant, request: ResourceRequest): boolean {
  if (!grant.clusterWide && isClusterScoped(request)) return false;
  return grant.rules.some((rule) => ruleAllows(rule, request));
}

/** Where the grant applies; `clusterScoped` when the rights in question are on cluster-scoped resources only. */
export function describeScope(grant: Grant, clusterScoped = false): string {
  if (grant.clusterWide) return clusterScoped ? 'cluster-wide' : 'in every namespace';
  return grant.namespace === null ? 'in the namespace the binding is applied to' : `in namespace ${grant.namespace}`;
}

export function describeChain(grant: Grant): string {
  const role = `${grant.binding.roleRef.kind} ${grant.binding.roleRef.name}`;
  const aggregated = grant.aggregatedFrom.length > 0 ? ` (aggregated from ${grant.aggregatedFrom.join(', ')})` : '';
  const missing = grant.role ? '' : ' (not among the scanned files)';
  return `${grant.binding.kind} ${grant.binding.namespace ? `${grant.binding.namespace}/` : ''}${grant.binding.name} -> ${role}${aggregated}${missing}`;
}
