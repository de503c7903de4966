import { control as authorizationMode } from '../../../src/controls/control-plane/apiserver-authorization-mode.js';
import { control as etcdTls } from '../../../src/controls/control-plane/apiserver-etcd-tls.js';
import { control as nodeRestriction } from '../../../src/controls/control-plane/apiserver-node-restriction.js';
import { control as tls } from '../../../src/controls/control-plane/apiserver-tls.js';
import { control as tokenAuthFile } from '../../../src/controls/control-plane/apiserver-token-auth-file.js';
import { control as retention } from '../../../src/controls/control-plane/audit-log-retention.js';
import { control as kms } from '../../../src/controls/control-plane/encryption-provider-strength.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(authorizationMode, {
  valid: [
    { name: 'Node,RBAC', flags: ['--authorization-mode=Node,RBAC'] },
    { name: 'structured authorization config', flags: ['--authorization-config=/etc/kubernetes/authz.yaml'] },
  ],
  invalid: [
    { name: 'unset: AlwaysAllow', flags: [], messages: [/defaults to AlwaysAllow/] },
    { name: 'AlwaysAllow listed', flags: ['--authorization-mode=RBAC,AlwaysAllow'], messages: [/includes AlwaysAllow/] },
    { name: 'no RBAC', flags: ['--authorization-mode=Node,Webhook'], messages: [/does not include RBAC/] },
  ],
});

testComponentControl(nodeRestriction, {
  valid: [{ name: 'both', flags: ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction,PodSecurity'] }],
  invalid: [
    { name: 'neither', flags: ['--authorization-mode=RBAC'], messages: [/does not include Node/, /NodeRestriction is not/] },
    { name: 'Node without NodeRestriction', flags: ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=PodSecurity'], messages: [/NodeRestriction is not/] },
  ],
});

const TLS_FLAGS = ['--tls-cert-file=/pki/apiserver.crt', '--tls-private-key-file=/pki/apiserver.key', '--client-ca-file=/pki/ca.crt'];
testComponentControl(tls, {
  valid: [
    { name: 'certificates, default minimum version', flags: TLS_FLAGS },
    { name: 'TLS 1.3 minimum', flags: [...TLS_FLAGS, '--tls-min-version=VersionTLS13'] },
  ],
  invalid: [
    { name: 'no certificates', flags: [], messages: [/tls-cert-file/, /tls-private-key-file/, /client-ca-file/] },
    { name: 'TLS 1.0 allowed', flags: [...TLS_FLAGS, '--tls-min-version=VersionTLS10'], messages: [/older than 1\.2/] },
  ],
});

testComponentControl(etcdTls, {
  valid: [{ name: 'mutual TLS', flags: ['--etcd-servers=https://127.0.0.1:2379', '--etcd-cafile=/pki/etcd/ca.crt', '--etcd-certfile=/pki/c.crt', '--etcd-keyfile=/pki/c.key'] }],
  invalid: [{ name: 'plain HTTP, no certificates', flags: ['--etcd-servers=http://127.0.0.1:2379'], messages: [/plain HTTP/, /etcd-cafile/, /etcd-certfile/, /etcd-keyfile/] }],
});

testComponentControl(tokenAuthFile, {
  valid: [{ name: 'no static files', flags: ['--client-ca-file=/pki/ca.crt'] }],
  invalid: [{ name: 'token file', flags: ['--token-auth-file=/etc/kubernetes/tokens.csv'], messages: [/clear-text file/] }],
});

testComponentControl(retention, {
  valid: [
    { name: 'CIS values', flags: ['--audit-log-path=/var/log/audit.log', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'] },
    { name: 'log to stdout: collected elsewhere', flags: ['--audit-log-path=-'] },
    { name: 'no log: another control reports it', flags: [] },
  ],
  invalid: [
    { name: 'no limits', flags: ['--audit-log-path=/var/log/audit.log'], messages: [/maxage is not set/, /maxbackup is not set/, /maxsize is not set/] },
    { name: 'too short', flags: ['--audit-log-path=/var/log/audit.log', '--audit-log-maxage=7', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'], messages: [/maxage=7 is below 30/] },
  ],
});

const FILE = '/etc/kubernetes/enc.yaml';
const config = (provider: string) => `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - ${provider}\n      - identity: {}\n`;
testComponentControl(kms, {
  valid: [
    { name: 'KMS v2', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: config('kms: {apiVersion: v2, name: k, endpoint: "unix:///kms.sock"}') } },
    { name: 'a live cluster: the file cannot be read', flags: [`--encryption-provider-config=${FILE}`] },
  ],
  invalid: [
    { name: 'aescbc', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: config('aescbc: {keys: [{name: k, secret: c2VjcmV0}]}') }, messages: [/aescbc .* weakest/] },
    { name: 'aesgcm', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: config('aesgcm: {keys: [{name: k, secret: c2VjcmV0}]}') }, messages: [/control-plane disk/] },
    { name: 'KMS v1', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: config('kms: {name: k, endpoint: "unix:///kms.sock"}') }, messages: [/KMS v1/] },
  ],
});
