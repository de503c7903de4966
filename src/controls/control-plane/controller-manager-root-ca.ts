import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-CM-ROOT-CA',
  title: 'The controller-manager should give pods the CA that signed the API server\'s certificate',
  rationale:
    'Pods verify the API server\'s serving certificate with the ca.crt the controller-manager hands out: in service ' +
    'account token Secrets and, since 1.20, in the kube-root-ca.crt ConfigMap of every namespace. --root-ca-file ' +
    'names that CA; without it the controller-manager falls back to the CA of its own kubeconfig, which need not be ' +
    'the one that signed the serving certificate, and pods that cannot verify it either fail or are configured to ' +
    'skip verification, open to a man in the middle.',
  nsaSection: 'Network separation and hardening (TLS between components and the API server)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [{ minor: 20, change: 'the CA is also published as the kube-root-ca.crt ConfigMap in every namespace' }] },
  remediation: { text: 'Start kube-controller-manager with --root-ca-file naming the cluster CA bundle.', snippet: '    - --root-ca-file=/etc/kubernetes/pki/ca.crt\n' },
  references: { kubescape: ['C-0148'], trivy: ['KCV-0037'], cis: ['1.3.5'], checkov: ['CKV_K8S_111'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-controller-manager'],
  check: ({ component }) =>
    requireSettings(component, { 'root-ca-file': 'pods get the CA of the controller-manager\'s kubeconfig to verify the API server with, which need not be the one that signed its certificate' }),
};
