import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, nameOf, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-KUBE-NAMESPACE-SERVICE-ACCOUNT',
  title: 'A service account was created in kube-system or kube-public',
  rationale:
    'A new service account among the control plane\'s is a place to hang rights and tokens where few look (MITRE ' +
    'T1136, T1078.001). The accounts kube-controller-manager and the usual add-ons create are excepted, as Falco does.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm which add-on needs the account; otherwise delete it and its bindings.', snippet: 'kubectl -n kube-system delete serviceaccount NAME\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'serviceaccounts', namespace: 'kube-system', name: '' }] },
  covers: { falco: ['Service Account Created in Kube Namespace'] },
  attack: ['T1136', 'T1078.001'],
};

/** Accounts the control plane and common add-ons create in kube-system. */
const KNOWN = new Set([
  'attachdetach-controller', 'bootstrap-signer', 'certificate-controller', 'clusterrole-aggregation-controller',
  'coredns', 'cronjob-controller', 'daemon-set-controller', 'default', 'deployment-controller', 'disruption-controller',
  'endpoint-controller', 'endpointslice-controller', 'endpointslicemirroring-controller', 'ephemeral-volume-controller',
  'expand-controller', 'generic-garbage-collector', 'horizontal-pod-autoscaler', 'job-controller', 'kube-dns',
  'kube-proxy', 'legacy-service-account-token-cleaner', 'metrics-server', 'namespace-controller', 'node-controller',
  'persistent-volume-binder', 'pod-garbage-collector', 'pv-protection-controller', 'pvc-protection-controller',
  'replicaset-controller', 'replication-controller', 'resourcequota-controller', 'root-ca-cert-publisher',
  'service-account-controller', 'service-controller', 'statefulset-controller', 'token-cleaner', 'ttl-after-finished-controller',
  'ttl-controller', 'validatingadmissionpolicy-status-controller',
]);

export const rule: DetectionRule = eventRule(meta, ['serviceaccounts'], (event) => {
  const namespace = event.objectRef?.namespace;
  if (event.verb !== 'create' || (namespace !== 'kube-system' && namespace !== 'kube-public') || !succeededOrUnknown(event)) return undefined;
  if (KNOWN.has(nameOf(event) ?? '')) return undefined;
  return { field: 'objectRef.name', message: `${username(event)} created service account ${objectName(event)}` };
});
