import type { ComponentViolation } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireSettings } from './flag-rules.js';

/** The strong suites of the CIS benchmark (kube-bench cis-1.12 check 1.2.29): AEAD ciphers, with ECDHE for TLS 1.2. */
export const STRONG_CIPHER_SUITES: ReadonlySet<string> = new Set([
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
]);

export const meta: ControlMeta = {
  id: 'CP-APISERVER-TLS-SERVING',
  title: 'The API server must serve TLS 1.2 or newer with its own certificate, strong ciphers, and client certificate verification',
  rationale:
    'Without --tls-cert-file the API server serves a self-signed certificate clients cannot verify; without ' +
    '--client-ca-file it cannot authenticate clients by certificate. An unset --tls-min-version is TLS 1.2: the API ' +
    'server\'s serving code sets that minimum itself (Go servers accepted TLS 1.0 by default until Go 1.22). An unset ' +
    '--tls-cipher-suites uses Go\'s defaults and passes; an explicit list must stay within the CIS strong suites.',
  nsaSection: 'Network separation and hardening › Encryption (TLS 1.2 or 1.3)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set --tls-cert-file, --tls-private-key-file and --client-ca-file; leave --tls-min-version unset or at VersionTLS12/VersionTLS13, and list only AEAD ECDHE suites in --tls-cipher-suites.',
    snippet:
      '    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt\n    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key\n    - --client-ca-file=/etc/kubernetes/pki/ca.crt\n    - --tls-min-version=VersionTLS12\n' +
      '    - --tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256\n',
  },
  references: { trivy: ['KCV-0027', 'KCV-0028'], cis: ['1.2.24', '1.2.25', '1.2.29'] },
  frameworks: ['nsa'],
};

const WEAK_VERSIONS = new Set(['VersionTLS10', 'VersionTLS11']);
const SELF_SIGNED = 'the API server generates a self-signed serving certificate that clients cannot verify';

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const problems: ComponentViolation[] = requireSettings(component, {
      'tls-cert-file': SELF_SIGNED,
      'tls-private-key-file': SELF_SIGNED,
      'client-ca-file': 'the API server cannot authenticate clients (kubelets, controllers, administrators) by certificate',
    });
    const minimum = component.flags.value('tls-min-version');
    if (minimum !== undefined && WEAK_VERSIONS.has(minimum)) {
      problems.push({ at: { flag: 'tls-min-version' }, message: `--tls-min-version=${minimum} accepts TLS ${minimum === 'VersionTLS10' ? '1.0 and 1.1' : '1.1'}, which the guide rules out` });
    }
    const weak = component.flags.list('tls-cipher-suites').filter((suite) => !STRONG_CIPHER_SUITES.has(suite));
    if (weak.length > 0) {
      problems.push({ at: { flag: 'tls-cipher-suites' }, message: `--tls-cipher-suites allows ${weak.join(', ')}: not among the CIS strong suites (AEAD ciphers with ECDHE key exchange, or TLS 1.3)` });
    }
    return problems;
  },
};
