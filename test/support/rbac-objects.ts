/** RBAC objects as manifest text, for control tests that scan them through the real loader and engine. */
import assert from 'node:assert/strict';
import type { Cluster } from './cluster-harness.js';
export const clusterRole = (name: string, rules: object[], labels: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules });
export const aggregatedClusterRole = (name: string, selectLabels: Record<string, string>) =>
  JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: selectLabels }] } });
export const role = (name: string, namespace: string, rules: object[]) =>
  JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules });
export const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: [string, string], subjects: object[], namespace?: string, labels: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleRef[0], name: roleRef[1] },
    subjects,
  });
export const user = (name: string) => ({ kind: 'User', name });
export const group = (name: string) => ({ kind: 'Group', name });
export const sa = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });

/** Creates RBAC objects (Roles, ClusterRoles, bindings) as the cluster's admin; each must be created (201). */
export async function createRbacObjects(cluster: Pick<Cluster, 'request'>, objects: readonly unknown[]): Promise<void> {
  const plural: Record<string, string> = { Role: 'roles', RoleBinding: 'rolebindings', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings' };
  for (const object of objects as { kind: string; metadata: { namespace?: string } }[]) {
    const base = '/apis/rbac.authorization.k8s.io/v1';
    const path = object.metadata.namespace ? `${base}/namespaces/${object.metadata.namespace}/${plural[object.kind]}` : `${base}/${plural[object.kind]}`;
    const created = await cluster.request('admin', 'POST', path, object);
    assert.equal(created.status, 201, `${object.kind}: ${created.text}`);
  }
}
