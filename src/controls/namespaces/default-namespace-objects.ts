import type { ControlMeta, ObjectControl } from '../../engine/types.js';
import { record, str } from '../../util/object.js';
import { explicitlyInDefaultNamespace } from './default-namespace.js';

export const meta: ControlMeta = {
  id: 'NS-NO-DEFAULT-NAMESPACE-OBJECTS',
  title: 'Services, Secrets, ConfigMaps, RBAC and other objects must not live in the default namespace',
  rationale:
    'The default namespace is where everything lands that forgot to choose one: a Secret, ConfigMap, Role or ' +
    'binding there is readable or usable by whoever has rights in that shared namespace, and a Service there is ' +
    'reachable without the network policies an own namespace would have. NS-NO-DEFAULT-NAMESPACE judges the ' +
    'workloads; this control the objects around them. The objects the cluster itself creates there (the ' +
    '`kubernetes` Service, the `kube-root-ca.crt` ConfigMap, the `default` ServiceAccount and its legacy token ' +
    'Secret) are not reported.',
  nsaSection: 'Network separation and hardening › Namespaces (App. D)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Move the object into the namespace of the application that uses it (metadata.namespace, or helm/kubectl -n).',
    snippet: 'metadata:\n  name: storefront-config\n  namespace: shop\n',
  },
  references: { checkov: ['CKV_K8S_21'], cis: ['5.7.4'] },
  frameworks: ['nsa'],
};

/** Objects the API server and controller-manager create in every cluster's default namespace. */
function createdByTheCluster(kind: string, object: Record<string, unknown>): boolean {
  const metadata = record(object.metadata) ?? {};
  const name = metadata.name;
  if (kind === 'Service') return name === 'kubernetes';
  if (kind === 'ConfigMap') return name === 'kube-root-ca.crt';
  if (kind === 'ServiceAccount') return name === 'default';
  // Before 1.24 the token controller made a `default-token-xxxxx` Secret for the default ServiceAccount. A
  // `cluster` scan lists Secrets as metadata only, without their type, so an absent type counts as that one.
  if (kind === 'Secret') {
    return (object.type === undefined || object.type === 'kubernetes.io/service-account-token') &&
      str(record(metadata.annotations)?.['kubernetes.io/service-account.name']) === 'default';
  }
  return false;
}

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: [
    'Service', 'Secret', 'ConfigMap', 'ServiceAccount',
    'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding',
    'networking.k8s.io/Ingress', 'extensions/Ingress',
  ],
  check: ({ object }) => {
    if (!explicitlyInDefaultNamespace(object)) return [];
    const kind = String(object.kind);
    if (createdByTheCluster(kind, object)) return [];
    return [{ path: ['metadata', 'namespace'], message: `${kind} is created in the default namespace` }];
  },
};
