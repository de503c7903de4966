import type { ComponentViolation } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { boolSetting, isSet, optionalSetting, readSetting, show } from './setting.js';
import { stringOf } from '../../util/object.js';

/**
 * The CIS list (kube-bench 4.2.12: ECDHE with AES-GCM or ChaCha20-Poly1305), plus the `_SHA256` spellings of the
 * ChaCha20 suites and the TLS 1.3 suites, which Kubernetes also accepts by name (Go always enables TLS 1.3 suites).
 */
export const STRONG_CIPHER_SUITES: ReadonlySet<string> = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
]);

const WEAK_VERSIONS = new Set(['VersionTLS10', 'VersionTLS11']);

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-TLS',
  title: 'The kubelet should serve TLS 1.2+ with strong ciphers and a certificate the cluster can verify',
  rationale:
    'Without tlsCertFile/tlsPrivateKeyFile or serverTLSBootstrap the kubelet serves a self-signed certificate that the API ' +
    'server cannot verify, so its connections to the node can be intercepted. There is no default certificate; tlsMinVersion ' +
    'and tlsCipherSuites default to the Go defaults (TLS 1.2, strong suites), so only explicit weaker values are reported.',
  nsaSection: 'Network separation and hardening › Encryption (TLS 1.2 or 1.3)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set serverTLSBootstrap: true (and approve the kubelet serving CSRs) or point tlsCertFile and tlsPrivateKeyFile at a certificate signed by the cluster CA; leave tlsMinVersion unset or at VersionTLS12/VersionTLS13, and list only ECDHE AES-GCM or ChaCha20-Poly1305 suites in tlsCipherSuites.',
    snippet:
      'serverTLSBootstrap: true\ntlsMinVersion: VersionTLS12\ntlsCipherSuites:\n  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n' +
      '  - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n  - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305\n  - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305\n',
  },
  references: { trivy: ['KCV-0088', 'KCV-0089', 'KCV-0092'], cis: ['4.2.9', '4.2.12'] },
  frameworks: ['nsa'],
};

const certFile = optionalSetting('tls-cert-file', ['tlsCertFile']);
const keyFile = optionalSetting('tls-private-key-file', ['tlsPrivateKeyFile']);
const bootstrap = boolSetting('rotate-server-certificates', ['serverTLSBootstrap'], false);
const minVersion = optionalSetting('tls-min-version', ['tlsMinVersion'], (value) => value.trim());

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => {
    const violations: ComponentViolation[] = [];
    const cert = readSetting(component, certFile);
    const key = readSetting(component, keyFile);
    if (readSetting(component, bootstrap).value !== true && !(isSet(cert.value) && isSet(key.value))) {
      if (isSet(cert.value) || isSet(key.value)) {
        const [given, missing] = isSet(cert.value) ? [cert, key] : [key, cert];
        violations.push({ at: missing.at, message: `${given.said}, but ${missing.said}: the kubelet needs both the certificate and its key` });
      } else {
        const names = component.config ? 'tlsCertFile/tlsPrivateKeyFile nor serverTLSBootstrap' : '--tls-cert-file/--tls-private-key-file nor --rotate-server-certificates';
        violations.push({ at: cert.at, message: `neither ${names} is set: the kubelet serves a self-signed certificate that clients cannot verify` });
      }
    }
    const version = readSetting(component, minVersion);
    if (typeof version.value === 'string' && WEAK_VERSIONS.has(version.value)) {
      violations.push({ at: version.at, message: `${version.said}: TLS 1.0 and 1.1 are broken; want VersionTLS12 or VersionTLS13` });
    }
    const suites = readSetting(component, optionalSetting('tls-cipher-suites', ['tlsCipherSuites'], () => component.flags.list('tls-cipher-suites')));
    const weak = Array.isArray(suites.value) ? suites.value.filter((suite) => !STRONG_CIPHER_SUITES.has(stringOf(suite))) : [];
    if (weak.length > 0) {
      violations.push({ at: suites.at, message: `${suites.source === 'flag' ? '--tls-cipher-suites' : 'tlsCipherSuites'} allows weak cipher suites ${show(weak)}: want only ECDHE suites with AES-GCM or ChaCha20-Poly1305, or TLS 1.3 suites` });
    }
    return violations;
  },
};
