import { control } from '../../../src/controls/kubelet/tls.js';
import { testComponentControl } from '../../support/component-tester.js';

const files = { tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key' };
const fileFlags = ['--tls-cert-file=/var/lib/kubelet/pki/kubelet.crt', '--tls-private-key-file=/var/lib/kubelet/pki/kubelet.key'];

testComponentControl(control, {
  valid: [
    { name: 'config file: certificate and key', config: files },
    { name: 'config file: serverTLSBootstrap', config: { serverTLSBootstrap: true } },
    { name: 'config file: TLS 1.2+ and strong ciphers', config: { ...files, tlsMinVersion: 'VersionTLS12', tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305'] } },
    { name: 'config file: TLS 1.3 suites are strong', config: { ...files, tlsMinVersion: 'VersionTLS13', tlsCipherSuites: ['TLS_AES_128_GCM_SHA256'] } },
    { name: 'flags only: certificate and key', flags: fileFlags },
    { name: 'flags only: --rotate-server-certificates', flags: ['--rotate-server-certificates'] },
    { name: 'flags only: strong ciphers, repeated flag', flags: [...fileFlags, '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
    { name: 'flags fill in for the config file', flags: fileFlags, config: {} },
    { name: 'the flag beats the config file', flags: ['--rotate-server-certificates=true', '--tls-min-version=VersionTLS12'], config: { serverTLSBootstrap: false, tlsMinVersion: 'VersionTLS10' } },
  ],
  invalid: [
    { name: 'config file: no certificate', config: {}, messages: [/^neither tlsCertFile\/tlsPrivateKeyFile nor serverTLSBootstrap is set: the kubelet serves a self-signed certificate/] },
    { name: 'config file: serverTLSBootstrap off', config: { serverTLSBootstrap: false }, messages: [/^neither tlsCertFile/] },
    { name: 'config file: certificate without key', config: { tlsCertFile: files.tlsCertFile }, messages: [/^tlsCertFile: \/var\/lib\/kubelet\/pki\/kubelet\.crt, but tlsPrivateKeyFile is not set: the kubelet needs both/] },
    { name: 'config file: TLS 1.1', config: { ...files, tlsMinVersion: 'VersionTLS11' }, messages: [/^tlsMinVersion: VersionTLS11: TLS 1\.0 and 1\.1 are broken/] },
    {
      name: 'config file: weak ciphers',
      config: { ...files, tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'] },
      messages: [/^tlsCipherSuites allows weak cipher suites \[TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA\]: want only ECDHE suites/],
    },
    { name: 'flags only: no certificate', flags: [], messages: [/^neither --tls-cert-file\/--tls-private-key-file nor --rotate-server-certificates is set/] },
    { name: 'flags only: key without certificate', flags: ['--tls-private-key-file=/k.key'], messages: [/^--tls-private-key-file=\/k\.key, but --tls-cert-file is not set and the kubelet has no configuration file:/] },
    { name: 'flags only: TLS 1.0', flags: [...fileFlags, '--tls-min-version=VersionTLS10'], messages: [/^--tls-min-version=VersionTLS10:/] },
    { name: 'flags only: weak cipher', flags: [...fileFlags, '--tls-cipher-suites=TLS_RSA_WITH_AES_256_GCM_SHA384'], messages: [/^--tls-cipher-suites allows weak cipher suites \[TLS_RSA_WITH_AES_256_GCM_SHA384\]/] },
    {
      name: 'the flag beats the config file',
      flags: ['--rotate-server-certificates=false', '--tls-min-version=VersionTLS10', '--tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA'],
      config: { serverTLSBootstrap: true, tlsMinVersion: 'VersionTLS13', tlsCipherSuites: ['TLS_AES_128_GCM_SHA256'] },
      messages: [/^neither tlsCertFile/, /^--tls-min-version=VersionTLS10:/, /^--tls-cipher-suites allows weak cipher suites \[TLS_RSA_WITH_AES_128_CBC_SHA\]/],
    },
  ],
});
