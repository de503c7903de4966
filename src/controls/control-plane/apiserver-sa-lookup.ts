import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireBool } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-SA-LOOKUP',
  title: 'The API server must check that a service account token\'s account still exists',
  rationale:
    'With --service-account-lookup=false the API server trusts a token\'s signature alone, so tokens of deleted ' +
    'ServiceAccounts (and of deleted token Secrets) keep working until they expire. The default, true, is safe.',
  nsaSection: 'Authentication and authorization › Authentication (service account tokens)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Remove --service-account-lookup=false (or set it to true).', snippet: '    - --service-account-lookup=true\n' },
  references: { trivy: ['KCV-0024'], cis: ['1.2.21'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => requireBool(component, 'service-account-lookup', true, true, 'tokens of deleted ServiceAccounts keep authenticating until they expire'),
};
