/** RBAC objects as manifest text, for control tests that scan them through the real loader and engine. */
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
