/** Bindings as the RBAC binding controls' tables write them. */
export const bindingObject = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleRef: [string, string], subjects: object[], labels: Record<string, string> = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'grant', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}), labels },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleRef[0], name: roleRef[1] },
  subjects,
});
export const BOOTSTRAP = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const userSubject = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
export const groupSubject = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
export const accountSubject = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });
