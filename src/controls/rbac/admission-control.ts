import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowingWhich, onSomeObject, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-ADMISSION-CONTROL',
  title: 'No control over admission webhooks and admission policies',
  rationale:
    'Admission runs on every write to the API. Whoever can create or change a mutating webhook configuration ' +
    'receives every admitted object (Secrets included) and can rewrite them, e.g. inject a privileged container ' +
    'into every pod; a validating webhook also receives them, and a validating or mutating admission policy with ' +
    'its binding can refuse or rewrite any request cluster-wide. Each is cluster-admin in effect.',
  nsaSection: 'Authentication and authorization › RBAC (privilege escalation)',
  pss: null,
  severity: 'critical',
  versions: {
    sinceMinor: 9,
    changes: [
      { minor: 16, change: 'webhook configurations reach admissionregistration.k8s.io/v1 (v1beta1 since 1.9); the rights judged are the same' },
      {
        minor: 26,
        change:
          'also judges create, update and patch on validatingadmissionpolicies and validatingadmissionpolicybindings (v1alpha1 behind the ValidatingAdmissionPolicy feature gate; v1beta1 in 1.28, GA and on by default in 1.30)',
      },
      {
        minor: 32,
        change:
          'also judges create, update and patch on mutatingadmissionpolicies and mutatingadmissionpolicybindings (v1alpha1 behind the MutatingAdmissionPolicy feature gate; v1beta1 in 1.34, GA and on by default in 1.36)',
      },
    ],
  },
  remediation: {
    text:
      'Remove create, update and patch on webhook configurations and admission policies from every role that is not the cluster administrators\' or the admission controller\'s own; resourceNames do not make it safe (one configuration can be pointed at every request), so a controller that must patch its own webhook\'s caBundle is an exception to record with its reason.',
    snippet:
      'rules:\n- apiGroups: ["admissionregistration.k8s.io"]\n  resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"]\n  verbs: ["get", "list", "watch"]\n',
  },
  references: { kubescape: ['C-0281'], trivy: ['KSV-0114'], cis: ['5.1.12'], checkov: ['CKV_K8S_155'] },
  frameworks: ['nsa'],
};

const GROUP = 'admissionregistration.k8s.io';

/** The admission resources that exist in a minor version (a feature gate may still be needed to serve them). */
function admissionRequests(minor: number) {
  const resources = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'];
  if (minor >= 26) resources.push('validatingadmissionpolicies', 'validatingadmissionpolicybindings');
  if (minor >= 32) resources.push('mutatingadmissionpolicies', 'mutatingadmissionpolicybindings');
  // Updating one webhook configuration is enough to point it at every request, so resourceNames do not limit it.
  return resources.flatMap((resource) => [...requests(['create'], GROUP, resource), ...onSomeObject(requests(['update', 'patch'], GROUP, resource))]);
}

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory, context) => grantsAllowingWhich(inventory, admissionRequests(context.version.minor)),
};
