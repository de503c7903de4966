import type { ControlMeta, PodControl } from '../../engine/types.js';
import { record } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'NS-NO-DEFAULT-NAMESPACE',
  title: 'Workloads must not run in the default namespace',
  rationale:
    'Namespaces are the unit of isolation for RBAC, network policies, quotas and Pod Security Admission; the default ' +
    'namespace is shared by everything that forgot to choose one and rarely has any of those.',
  nsaSection: 'Network separation and hardening › Namespaces (App. D)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Deploy the workload into its own namespace (metadata.namespace, or helm/kubectl -n).',
    snippet: 'metadata:\n  name: storefront\n  namespace: shop\n',
  },
  references: { kubescape: ['C-0061'], trivy: ['KSV-0110'], cis: ['5.6.4'] },
  frameworks: ['nsa'],
};

/**
 * An object without a namespace gets one when it is applied (-n, Helm, Kustomize): only an explicit default counts.
 * NS-NO-DEFAULT-NAMESPACE-OBJECTS judges the other kinds by the same rule.
 */
export function explicitlyInDefaultNamespace(object: Record<string, unknown>): boolean {
  return record(object.metadata)?.namespace === 'default';
}

export const control: PodControl = {
  meta,
  scope: 'pod',
  check: ({ object }) =>
    explicitlyInDefaultNamespace(object)
      ? [{ path: ['metadata', 'namespace'], message: 'workload is deployed into the default namespace' }]
      : [],
};
