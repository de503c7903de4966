import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { insecurePort } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-NO-INSECURE-PORT',
  title: 'The API server must not serve its insecure port (8080)',
  rationale:
    'The insecure port serves the whole API over plain HTTP with no authentication and no authorization. Up to 1.19 ' +
    'it was open on 8080 unless --insecure-port=0; 1.20 removed insecure serving (only 0 is accepted) and 1.24 ' +
    'removed the flag, so the check applies only up to 1.23.',
  nsaSection: 'Control plane hardening (ports 6443 and 8080; --insecure-port=0)',
  pss: null,
  severity: 'critical',
  versions: {
    sinceMinor: 0,
    untilMinor: 23,
    changes: [
      { minor: 20, change: 'insecure serving removed: only --insecure-port=0 is accepted, so an absent flag is safe' },
      { minor: 24, change: 'the flag is removed; the API server does not start with it' },
    ],
  },
  remediation: { text: 'Start kube-apiserver with --insecure-port=0 (before 1.20), or remove the flag (1.24 and later reject it).', snippet: '    - --insecure-port=0\n' },
  references: { kubescape: ['C-0005'], cis: ['1.2.19 (cis-1.6)', '1.2.18 (cis-1.20)'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => insecurePort(component, 'insecure-port', 8080, version.minor <= 19),
};
