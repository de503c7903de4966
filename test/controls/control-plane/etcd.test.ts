import { control as clientCertAuth } from '../../../src/controls/control-plane/etcd-client-cert-auth.js';
import { control as peerCertAuth } from '../../../src/controls/control-plane/etcd-peer-cert-auth.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(clientCertAuth, {
  valid: [{ name: 'TLS and client certificates', flags: ['--cert-file=/pki/etcd/server.crt', '--key-file=/pki/etcd/server.key', '--client-cert-auth=true', '--trusted-ca-file=/pki/etcd/ca.crt'] }],
  invalid: [
    { name: 'plain etcd (as in the test harness)', flags: ['--listen-client-urls=http://127.0.0.1:2379'], messages: [/cert-file/, /key-file/, /client-cert-auth is not set/] },
    { name: 'auto TLS', flags: ['--cert-file=/a', '--key-file=/b', '--client-cert-auth=true', '--auto-tls=true'], messages: [/--auto-tls=true/] },
  ],
});

testComponentControl(peerCertAuth, {
  valid: [{ name: 'peer TLS and certificates', flags: ['--peer-cert-file=/a', '--peer-key-file=/b', '--peer-client-cert-auth=true'] }],
  invalid: [{ name: 'no peer TLS', flags: [], messages: [/peer-cert-file/, /peer-key-file/, /peer-client-cert-auth is not set/] }],
});
