import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireFlags } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-TLS-SERVING',
  title: 'The API server must serve TLS 1.2 or newer with its own certificate and verify client certificates',
  rationale:
    'Without --tls-cert-file the API server serves a self-signed certificate that clients cannot verify; without ' +
    '--client-ca-file it cannot authenticate clients by certificate. The guide asks for TLS 1.2 or 1.3: an absent ' +
    '--tls-min-version is TLS 1.2 (Go\'s server default), an explicit VersionTLS10/11 weakens it.',
  nsaSection: 'Network separation and hardening › Encryption (TLS 1.2 or 1.3)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set --tls-cert-file, --tls-private-key-file and --client-ca-file, and leave --tls-min-version unset or at VersionTLS12/VersionTLS13.',
    snippet: '    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt\n    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key\n    - --client-ca-file=/etc/kubernetes/pki/ca.crt\n    - --tls-min-version=VersionTLS12\n',
  },
  references: { trivy: ['KCV-0027', 'KCV-0028'], cis: ['1.2.24', '1.2.25', '1.2.29'] },
  frameworks: ['nsa'],
};

const WEAK_VERSIONS = new Set(['VersionTLS10', 'VersionTLS11']);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const problems = requireFlags(component, ['tls-cert-file', 'tls-private-key-file', 'client-ca-file'], 'the API server cannot present a verifiable certificate or verify client certificates');
    const minimum = component.flags.value('tls-min-version');
    if (minimum !== undefined && WEAK_VERSIONS.has(minimum)) problems.push({ at: { flag: 'tls-min-version' }, message: `--tls-min-version=${minimum} accepts TLS older than 1.2` });
    return problems;
  },
};
