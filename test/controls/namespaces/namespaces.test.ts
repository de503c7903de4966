import { control as defaultNamespace } from '../../../src/controls/namespaces/default-namespace.js';
import { control as defaultNamespaceObjects } from '../../../src/controls/namespaces/default-namespace-objects.js';
import { control as systemNamespaces } from '../../../src/controls/namespaces/system-namespaces.js';
import { testControl, testObjectControl } from '../../support/control-tester.js';

testControl(defaultNamespace, {
  valid: [{ name: 'own namespace', namespace: 'shop' }],
  invalid: [{ name: 'default', namespace: 'default', fields: ['metadata.namespace'] }],
});

testControl(systemNamespaces, {
  valid: [
    { name: 'user namespace', namespace: 'shop' },
    { name: 'control-plane static pod', namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
    { name: 'cluster infrastructure with a system priority class', namespace: 'kube-system', spec: { priorityClassName: 'system-node-critical' } },
  ],
  invalid: [
    { name: 'app in kube-system', namespace: 'kube-system', fields: ['metadata.namespace'] },
    { name: 'app in kube-public', namespace: 'kube-public', fields: ['metadata.namespace'] },
  ],
});

const inNamespace = (apiVersion: string, kind: string, name: string, namespace: string | undefined, extra: object = {}) =>
  ({ apiVersion, kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) }, ...extra });

testObjectControl(defaultNamespaceObjects, {
  valid: [
    { name: 'Service in its own namespace', object: inNamespace('v1', 'Service', 'web', 'shop') },
    { name: 'ConfigMap without a namespace (chosen when applied)', object: inNamespace('v1', 'ConfigMap', 'settings', undefined) },
    { name: 'the kubernetes Service the API server creates', object: inNamespace('v1', 'Service', 'kubernetes', 'default') },
    { name: 'the kube-root-ca.crt ConfigMap every namespace gets', object: inNamespace('v1', 'ConfigMap', 'kube-root-ca.crt', 'default') },
    { name: 'the default ServiceAccount', object: inNamespace('v1', 'ServiceAccount', 'default', 'default') },
    {
      name: "the default ServiceAccount's legacy token Secret (before 1.24)",
      object: inNamespace('v1', 'Secret', 'default-token-x7k2p', 'default', {
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'default-token-x7k2p', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      }),
    },
    {
      name: 'the same token Secret as a cluster scan lists it (metadata only, no type)',
      object: inNamespace('v1', 'Secret', 'default-token-x7k2p', 'default', {
        metadata: { name: 'default-token-x7k2p', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      }),
    },
    { name: 'a CRD kind called Role is not judged', object: inNamespace('example.com/v1', 'Role', 'r', 'default') },
  ],
  invalid: [
    { name: 'Secret', object: inNamespace('v1', 'Secret', 'db', 'default', { type: 'Opaque' }), fields: ['metadata.namespace'] },
    { name: 'Secret listed as metadata only', object: inNamespace('v1', 'Secret', 'db', 'default'), fields: ['metadata.namespace'] },
    {
      name: "an Opaque Secret that only claims the default ServiceAccount's annotation",
      object: inNamespace('v1', 'Secret', 'x', 'default', { type: 'Opaque', metadata: { name: 'x', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'default' } } }),
      fields: ['metadata.namespace'],
    },
    {
      name: "another ServiceAccount's token Secret",
      object: inNamespace('v1', 'Secret', 'ci-token', 'default', {
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'ci-token', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'ci' } },
      }),
      fields: ['metadata.namespace'],
    },
    { name: 'a ConfigMap that is not the cluster CA', object: inNamespace('v1', 'ConfigMap', 'settings', 'default'), fields: ['metadata.namespace'] },
    { name: 'a Service that is not kubernetes', object: inNamespace('v1', 'Service', 'web', 'default'), fields: ['metadata.namespace'] },
    { name: 'ServiceAccount other than default', object: inNamespace('v1', 'ServiceAccount', 'ci', 'default'), fields: ['metadata.namespace'] },
    { name: 'Role', object: inNamespace('rbac.authorization.k8s.io/v1', 'Role', 'reader', 'default'), fields: ['metadata.namespace'] },
    { name: 'RoleBinding', object: inNamespace('rbac.authorization.k8s.io/v1', 'RoleBinding', 'reader', 'default'), fields: ['metadata.namespace'] },
    { name: 'Ingress', object: inNamespace('networking.k8s.io/v1', 'Ingress', 'web', 'default'), fields: ['metadata.namespace'] },
  ],
});
