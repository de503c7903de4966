import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { forbidSettings } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-NO-TOKEN-AUTH-FILE',
  title: 'The API server should not authenticate with static token or password files',
  rationale:
    'Static tokens and passwords live in clear text on the control-plane disk, never expire, and change only when the ' +
    'API server restarts: the guide names static password files as weak authentication.',
  nsaSection: 'Authentication and authorization › Authentication ("weak methods such as static password files")',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [{ minor: 19, change: '--basic-auth-file (static passwords) removed: kube-apiserver no longer starts with it' }] },
  remediation: { text: 'Remove --token-auth-file (and --basic-auth-file); use client certificates, OIDC or a webhook authenticator.', snippet: '    # remove: - --token-auth-file=...\n' },
  references: { kubescape: ['C-0114'], trivy: ['KCV-0002'], cis: ['1.2.2', '1.2.2 (cis-1.6: --basic-auth-file)'], checkov: ['CKV_K8S_70', 'CKV_K8S_69'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) =>
    forbidSettings(component, {
      'token-auth-file': 'anyone holding a line of that clear-text file authenticates, and the tokens never expire',
      'basic-auth-file':
        version.minor >= 19
          ? `static password authentication was removed in 1.19: kube-apiserver 1.${version.minor} does not start with it`
          : 'user names and passwords sit in a clear-text file and never expire',
    }),
};
