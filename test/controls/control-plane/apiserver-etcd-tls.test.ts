import { control } from '../../../src/controls/control-plane/apiserver-etcd-tls.js';
import { testComponentControl } from '../../support/component-tester.js';

const CERTS = ['--etcd-cafile=/pki/etcd/ca.crt', '--etcd-certfile=/pki/c.crt', '--etcd-keyfile=/pki/c.key'];

testComponentControl(control, {
  valid: [
    { name: 'mutual TLS', flags: ['--etcd-servers=https://127.0.0.1:2379', ...CERTS] },
    { name: 'several https members', flags: ['--etcd-servers=https://10.0.0.1:2379,https://10.0.0.2:2379', ...CERTS] },
  ],
  invalid: [
    { name: 'plain HTTP, no certificates', flags: ['--etcd-servers=http://127.0.0.1:2379'], messages: [/--etcd-servers has http:\/\/127\.0\.0\.1:2379: not https/, /--etcd-cafile is not set/, /--etcd-certfile is not set/, /--etcd-keyfile is not set/] },
    { name: 'one member over HTTP', flags: ['--etcd-servers=https://10.0.0.1:2379,http://10.0.0.2:2379', ...CERTS], messages: [/has http:\/\/10\.0\.0\.2:2379/] },
  ],
});
