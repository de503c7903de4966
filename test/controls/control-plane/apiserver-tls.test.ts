import { control } from '../../../src/controls/control-plane/apiserver-tls.js';
import { testComponentControl } from '../../support/component-tester.js';

const TLS_FLAGS = ['--tls-cert-file=/pki/apiserver.crt', '--tls-private-key-file=/pki/apiserver.key', '--client-ca-file=/pki/ca.crt'];

testComponentControl(control, {
  valid: [
    { name: 'certificates, default minimum version and suites', flags: TLS_FLAGS },
    { name: 'TLS 1.2 minimum', flags: [...TLS_FLAGS, '--tls-min-version=VersionTLS12'] },
    { name: 'TLS 1.3 minimum', flags: [...TLS_FLAGS, '--tls-min-version=VersionTLS13'] },
    { name: 'strong suites only', flags: [...TLS_FLAGS, '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_AES_256_GCM_SHA384'] },
  ],
  invalid: [
    {
      name: 'no certificates',
      flags: [],
      messages: [/--tls-cert-file is not set: .*self-signed/, /--tls-private-key-file is not set: .*self-signed/, /--client-ca-file is not set: .*cannot authenticate clients/],
    },
    { name: 'TLS 1.0 allowed', flags: [...TLS_FLAGS, '--tls-min-version=VersionTLS10'], messages: [/--tls-min-version=VersionTLS10 accepts TLS 1\.0 and 1\.1/] },
    { name: 'TLS 1.1 allowed', flags: [...TLS_FLAGS, '--tls-min-version=VersionTLS11'], messages: [/accepts TLS 1\.1,/] },
    {
      name: 'a CBC and an RSA key exchange suite',
      flags: [...TLS_FLAGS, '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_AES_256_GCM_SHA384'],
      messages: [/--tls-cipher-suites allows TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_GCM_SHA384: not among the CIS strong suites/],
    },
  ],
});
