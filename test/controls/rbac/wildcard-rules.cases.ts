import type { ObjectControlCases } from '../../support/control-tester.js';

const role = (kind: 'Role' | 'ClusterRole', rules: object[], labels: Record<string, string> = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'reader', ...(kind === 'Role' ? { namespace: 'shop' } : {}), labels },
  rules,
});
const read = { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] };

export const cases: ObjectControlCases = {
  valid: [
    { name: 'a Role listing its verbs and resources', object: role('Role', [read]) },
    { name: 'every API group, but named resources and verbs', object: role('ClusterRole', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }]) },
    { name: 'every non-resource URL, with a named verb', object: role('ClusterRole', [{ nonResourceURLs: ['*'], verbs: ['get'] }]) },
    { name: 'Kubernetes bootstrap policy', object: role('ClusterRole', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], { 'kubernetes.io/bootstrapping': 'rbac-defaults' }) },
    { name: 'no rules at all', object: role('ClusterRole', []) },
    { name: 'an aggregated ClusterRole (its rules are written by the controller)', object: { ...role('ClusterRole', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-ops': 'true' } }] } } },
  ],
  invalid: [
    { name: 'every verb in a Role', object: role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]), fields: ['rules[0]'] },
    { name: 'every resource in the second rule', object: role('ClusterRole', [read, { apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }]), fields: ['rules[1]'] },
    { name: 'both, in two rules', object: role('ClusterRole', [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['*'] }]), fields: ['rules[0]', 'rules[1]'] },
    { name: 'every verb on a non-resource URL', object: role('ClusterRole', [{ nonResourceURLs: ['/metrics'], verbs: ['*'] }]), fields: ['rules[0]'] },
    { name: 'another value of the bootstrap label', object: role('ClusterRole', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], { 'kubernetes.io/bootstrapping': 'mine' }), fields: ['rules[0]'] },
  ],
};
