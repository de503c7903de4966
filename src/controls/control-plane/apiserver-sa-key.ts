import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-SA-KEY',
  title: 'The API server should verify service account tokens with a dedicated key',
  rationale:
    'Without --service-account-key-file the API server verifies service account tokens with its TLS serving key, so ' +
    'one key does two jobs: rotating the serving certificate invalidates every token, and tokens cannot be rotated on their own.',
  nsaSection: 'Authentication and authorization › Authentication (service account tokens)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Start kube-apiserver with --service-account-key-file naming the public key of the pair that signs tokens (--service-account-signing-key-file).',
    snippet: '    - --service-account-key-file=/etc/kubernetes/pki/sa.pub\n',
  },
  references: { trivy: ['KCV-0025'], cis: ['1.2.22'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) =>
    requireSettings(component, { 'service-account-key-file': 'service account tokens are verified with the TLS serving key (--tls-private-key-file), which then cannot be rotated without invalidating them' }),
};
