import { control as profiling } from '../../../src/controls/control-plane/apiserver-profiling.js';
import { control as auditLog } from '../../../src/controls/control-plane/audit-log.js';
import { control as encryption } from '../../../src/controls/control-plane/encryption-at-rest.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(profiling, {
  valid: [{ name: 'off', flags: ['--profiling=false'] }],
  invalid: [
    { name: 'unset: on by default', flags: [], messages: [/defaults to true/] },
    { name: 'on', flags: ['--profiling=true'], messages: [/serves \/debug\/pprof/] },
  ],
});

const encryptionConfig = (providers: string) => `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [configmaps]\n    providers: [{identity: {}}]\n  - resources: [secrets]\n    providers:\n${providers}`;
const FILE = '/etc/kubernetes/enc/config.yaml';

testComponentControl(encryption, {
  valid: [
    { name: 'aesgcm first', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: encryptionConfig('      - aesgcm: {keys: [{name: k, secret: c2VjcmV0}]}\n      - identity: {}\n') } },
    { name: 'wildcard resources (1.27+) with KMS v2', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: ["*.*"]\n    providers: [{kms: {apiVersion: v2, name: k, endpoint: "unix:///kms.sock"}}]\n' } },
    { name: 'a live cluster: the flag is there, the file cannot be read', flags: [`--encryption-provider-config=${FILE}`] },
  ],
  invalid: [
    { name: 'no flag', flags: ['--anonymous-auth=false'], messages: [/plain text/] },
    { name: 'identity first', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: encryptionConfig('      - identity: {}\n      - aescbc: {keys: [{name: k, secret: c2VjcmV0}]}\n') }, messages: [/identity first/] },
    { name: 'secrets not covered', flags: [`--encryption-provider-config=${FILE}`], hostFiles: { [FILE]: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [configmaps]\n    providers: [{aesgcm: {keys: []}}]\n' }, messages: [/no providers for secrets/] },
    { name: 'the file is missing', flags: [`--encryption-provider-config=${FILE}`], hostFiles: {}, messages: [/no such file/] },
  ],
});

const POLICY = '/etc/kubernetes/audit-policy.yaml';
testComponentControl(auditLog, {
  valid: [
    { name: 'policy and log', flags: [`--audit-policy-file=${POLICY}`, '--audit-log-path=/var/log/audit.log'], hostFiles: { [POLICY]: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n' } },
    { name: 'policy and webhook', flags: [`--audit-policy-file=${POLICY}`, '--audit-webhook-config-file=/etc/kubernetes/webhook.yaml'] },
  ],
  invalid: [
    { name: 'nothing', flags: [], messages: [/nothing is audited/, /logs no events/] },
    { name: 'a log without a policy', flags: ['--audit-log-path=/var/log/audit.log'], messages: [/logs no events/] },
    { name: 'a policy without rules', flags: [`--audit-policy-file=${POLICY}`, '--audit-log-path=-'], hostFiles: { [POLICY]: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n' }, messages: [/has no rules/] },
  ],
});
