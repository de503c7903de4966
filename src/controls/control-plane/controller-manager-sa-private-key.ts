import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-CM-SA-PRIVATE-KEY',
  title: 'The controller-manager should sign service account token Secrets with a dedicated key',
  rationale:
    'The token controller signs the tokens of kubernetes.io/service-account-token Secrets with ' +
    '--service-account-private-key-file, the private half of the pair whose public key the API server verifies ' +
    '(--service-account-key-file). Without it that controller is disabled and such Secrets get no token (or keep ' +
    'tokens signed with a key nobody manages), and a dedicated key pair is what lets ' +
    'tokens be rotated apart from any TLS key. Since 1.24 these Secrets are no longer made for every ServiceAccount ' +
    '(LegacyServiceAccountTokenNoAutoGeneration), but the ones people create still rely on it.',
  nsaSection: 'Authentication and authorization › Authentication (service account tokens)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [{ minor: 24, change: 'token Secrets are no longer created for every ServiceAccount; only Secrets people create are signed' }] },
  remediation: {
    text: 'Start kube-controller-manager with --service-account-private-key-file naming the private key whose public half the API server has in --service-account-key-file.',
    snippet: '    - --service-account-private-key-file=/etc/kubernetes/pki/sa.key\n',
  },
  references: { kubescape: ['C-0147'], trivy: ['KCV-0036'], cis: ['1.3.4'], checkov: ['CKV_K8S_110'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-controller-manager'],
  check: ({ component }) =>
    requireSettings(component, { 'service-account-private-key-file': 'the service account token controller is disabled, so token Secrets are not signed with a key pair of their own' }),
};
