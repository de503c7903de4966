/**
 * RBAC objects reduced to what authorization needs: rules, aggregation selectors, bindings and subjects.
 * Collected while objects stream by (strings copied, so nothing points into the input text).
 */
import { array, detach, isRecord, record, str, stringOf } from '../util/object.js';

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

/** Strings are detached from the input text: RBAC summaries live until the end of the scan. */
const strings = (value: unknown): string[] => array(value).map((item) => detach(stringOf(item)));
const name = (value: unknown): string => detach(str(value) ?? '');

function labelsOf(metadata: Record<string, unknown>): Record<string, string> {
  const labels: Record<string, string> = {};
  if (isRecord(metadata.labels)) for (const [key, value] of Object.entries(metadata.labels)) labels[key] = detach(stringOf(value));
  return labels;
}

export function isRbacKind(apiVersion: string, kind: string): boolean {
  return apiVersion.startsWith('rbac.authorization.k8s.io/') && ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kind);
}

export function parseRule(rule: unknown): PolicyRule {
  const value = record(rule) ?? {};
  return {
    verbs: strings(value.verbs),
    apiGroups: strings(value.apiGroups),
    resources: strings(value.resources),
    resourceNames: strings(value.resourceNames),
    nonResourceURLs: strings(value.nonResourceURLs),
  };
}

export function parseRole(object: Record<string, unknown>): RoleObject {
  const metadata = record(object.metadata) ?? {};
  const labels = labelsOf(metadata);
  const aggregation = record(object.aggregationRule);
  return {
    kind: object.kind === 'Role' ? 'Role' : 'ClusterRole',
    name: name(metadata.name),
    namespace: object.kind === 'Role' && str(metadata.namespace) !== undefined ? name(metadata.namespace) : null,
    rules: array(object.rules).map(parseRule),
    labels,
    // Selectors are tiny; a JSON round trip copies them whole.
    aggregationSelectors: aggregation ? (JSON.parse(JSON.stringify(array(aggregation.clusterRoleSelectors))) as unknown[]) : undefined,
    bootstrap: labels['kubernetes.io/bootstrapping'] === 'rbac-defaults',
  };
}

export function parseBinding(object: Record<string, unknown>): BindingObject {
  const metadata = record(object.metadata) ?? {};
  const roleRef = record(object.roleRef) ?? {};
  const namespace = object.kind === 'RoleBinding' && str(metadata.namespace) !== undefined ? name(metadata.namespace) : null;
  const subjects = array(object.subjects).flatMap((subject): RbacSubject[] => {
    const value = record(subject);
    const kind = value?.kind;
    if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') return [];
    // A ServiceAccount subject without a namespace means the binding's own namespace.
    const subjectNamespace = kind === 'ServiceAccount' ? (str(value?.namespace) === undefined ? namespace : name(value?.namespace)) : null;
    return [{ kind, name: name(value?.name), namespace: subjectNamespace }];
  });
  return {
    kind: object.kind === 'RoleBinding' ? 'RoleBinding' : 'ClusterRoleBinding',
    name: name(metadata.name),
    namespace,
    roleRef: { kind: roleRef.kind === 'Role' ? 'Role' : 'ClusterRole', name: name(roleRef.name) },
    subjects,
    bootstrap: str(record(metadata.labels)?.['kubernetes.io/bootstrapping']) === 'rbac-defaults',
  };
}

export function describeSubject(subject: RbacSubject): string {
  if (subject.kind !== 'ServiceAccount') return `${subject.kind} ${subject.name}`;
  return subject.namespace === null ? `ServiceAccount ${subject.name} (of the binding's namespace)` : `ServiceAccount ${subject.namespace}/${subject.name}`;
}
