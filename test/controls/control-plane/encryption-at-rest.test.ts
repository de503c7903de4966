import { control } from '../../../src/controls/control-plane/encryption-at-rest.js';
import { testComponentControl } from '../../support/component-tester.js';

const FILE = '/etc/kubernetes/enc/config.yaml';
const FLAG = `--encryption-provider-config=${FILE}`;
const config = (entries: string) => `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n${entries}`;
const SECRETS_WITH = (providers: string) => `  - resources: [configmaps]\n    providers: [{identity: {}}]\n  - resources: [secrets]\n    providers:\n${providers}`;
const WILDCARD = config('  - resources: ["*.*"]\n    providers: [{kms: {apiVersion: v2, name: k, endpoint: "unix:///kms.sock"}}]\n');

testComponentControl(control, {
  valid: [
    { name: 'aesgcm first', flags: [FLAG], hostFiles: { [FILE]: config(SECRETS_WITH('      - aesgcm: {keys: [{name: k, secret: c2VjcmV0}]}\n      - identity: {}\n')) } },
    { name: '1.27: a *.* wildcard covers secrets', version: '1.27', flags: [FLAG], hostFiles: { [FILE]: WILDCARD } },
    { name: '1.30: the core-group wildcard *. covers secrets', version: '1.30', flags: [FLAG], hostFiles: { [FILE]: config('  - resources: ["*."]\n    providers: [{secretbox: {keys: []}}]\n') } },
    { name: 'a live cluster: the flag is there, the file cannot be read', flags: [FLAG] },
    { name: '1.12: before the control applies', version: '1.12', flags: [] },
  ],
  invalid: [
    { name: 'no flag', flags: ['--anonymous-auth=false'], messages: [/--encryption-provider-config is not set: Secrets are stored in etcd as plain text/] },
    { name: 'identity first', flags: [FLAG], hostFiles: { [FILE]: config(SECRETS_WITH('      - identity: {}\n      - aescbc: {keys: [{name: k, secret: c2VjcmV0}]}\n')) }, messages: [/config\.yaml lists identity first for secrets: new Secrets are written as plain text/] },
    { name: 'secrets not covered', flags: [FLAG], hostFiles: { [FILE]: config('  - resources: [configmaps]\n    providers: [{aesgcm: {keys: []}}]\n') }, messages: [/config\.yaml has no providers for secrets: they are stored as plain text/] },
    { name: '1.26: wildcards do not cover secrets yet', version: '1.26', flags: [FLAG], hostFiles: { [FILE]: WILDCARD }, messages: [/no providers for secrets \(wildcards such as \*\.\* cover secrets only from 1\.27\)/] },
    { name: 'the file is missing', flags: [FLAG], hostFiles: {}, messages: [/config\.yaml: no such file: the API server cannot load it/] },
    { name: 'the file is not YAML', flags: [FLAG], hostFiles: { [FILE]: 'resources: [\n' }, messages: [/config\.yaml is not valid YAML/] },
    { name: 'the file is another kind', flags: [FLAG], hostFiles: { [FILE]: 'apiVersion: v1\nkind: EncryptionConfig\n' }, messages: [/has kind: EncryptionConfig, not EncryptionConfiguration/] },
  ],
});
