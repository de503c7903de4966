/**
 * RBAC objects reduced to what authorization needs: rules, aggregation selectors, bindings and subjects.
 * Collected while objects stream by (strings copied, so nothing points into the input text).
 */
import { array, isRecord, record, str } from '../util/object.js';

export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

export interface RoleObject {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  /** null for ClusterRoles. */
  readonly namespace: string | null;
  readonly rules: readonly PolicyRule[];
  readonly labels: Readonly<Record<string, string>>;
  /** ClusterRole aggregationRule.clusterRoleSelectors, if any. */
  readonly aggregationSelectors: readonly unknown[] | undefined;
  /** Kubernetes' own bootstrap policy (label kubernetes.io/bootstrapping=rbac-defaults). */
  readonly bootstrap: boolean;
}

export interface RbacSubject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /** ServiceAccounts only. */
  readonly namespace: string | null;
}

export interface BindingObject {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  readonly namespace: string | null;
  readonly roleRef: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string };
  readonly subjects: readonly RbacSubject[];
  readonly bootstrap: boolean;
}

const strings = (value: unknown): string[] => array(value).map((item) => String(item));

function labelsOf(metadata: Record<string, unknown>): Record<string, string> {
  const labels: Record<string, string> = {};
  if (isRecord(metadata.labels)) for (const [key, value] of Object.entries(metadata.labels)) labels[key] = String(value);
  return labels;
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function isRbacKind(apiVersion: string, kind: string): boolean {
  return apiVersion.startsWith('rbac.authorization.k8s.io/') && ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kind);
}

export function parseRule(rule: unknown): PolicyRule {
  const value = record(rule) ?? {};
  return copy({
    verbs: strings(value.verbs),
    apiGroups: strings(value.apiGroups),
    resources: strings(value.resources),
    resourceNames: strings(value.resourceNames),
    nonResourceURLs: strings(value.nonResourceURLs),
  });
}

export function parseRole(object: Record<string, unknown>): RoleObject {
  const metadata = record(object.metadata) ?? {};
  const labels = labelsOf(metadata);
  const aggregation = record(object.aggregationRule);
  return {
    kind: object.kind === 'Role' ? 'Role' : 'ClusterRole',
    name: copy(str(metadata.name) ?? ''),
    namespace: object.kind === 'Role' ? copy(str(metadata.namespace) ?? null) : null,
    rules: array(object.rules).map(parseRule),
    labels: copy(labels),
    aggregationSelectors: aggregation ? copy(array(aggregation.clusterRoleSelectors)) : undefined,
    bootstrap: labels['kubernetes.io/bootstrapping'] === 'rbac-defaults',
  };
}

export function parseBinding(object: Record<string, unknown>): BindingObject {
  const metadata = record(object.metadata) ?? {};
  const roleRef = record(object.roleRef) ?? {};
  const namespace = object.kind === 'RoleBinding' ? str(metadata.namespace) ?? null : null;
  const subjects = array(object.subjects).flatMap((subject): RbacSubject[] => {
    const value = record(subject);
    const kind = value?.kind;
    if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') return [];
    // A ServiceAccount subject without a namespace means the binding's own namespace.
    const subjectNamespace = kind === 'ServiceAccount' ? str(value?.namespace) ?? namespace : null;
    return [{ kind, name: str(value?.name) ?? '', namespace: subjectNamespace }];
  });
  return copy({
    kind: object.kind === 'RoleBinding' ? 'RoleBinding' : 'ClusterRoleBinding',
    name: str(metadata.name) ?? '',
    namespace,
    roleRef: { kind: roleRef.kind === 'Role' ? 'Role' : 'ClusterRole', name: str(roleRef.name) ?? '' },
    subjects,
    bootstrap: labelsOf(metadata)['kubernetes.io/bootstrapping'] === 'rbac-defaults',
  });
}

export function describeSubject(subject: RbacSubject): string {
  if (subject.kind !== 'ServiceAccount') return `${subject.kind} ${subject.name}`;
  return subject.namespace === null ? `ServiceAccount ${subject.name} (of the binding's namespace)` : `ServiceAccount ${subject.namespace}/${subject.name}`;
}
