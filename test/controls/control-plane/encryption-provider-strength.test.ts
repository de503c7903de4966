import { control } from '../../../src/controls/control-plane/encryption-provider-strength.js';
import { testComponentControl } from '../../support/component-tester.js';

const FILE = '/etc/kubernetes/enc.yaml';
const FLAG = `--encryption-provider-config=${FILE}`;
const config = (provider: string) => `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - ${provider}\n      - identity: {}\n`;
const KEY = '{keys: [{name: k, secret: c2VjcmV0}]}';
const KMS_V1 = 'kms: {name: k, endpoint: "unix:///kms.sock"}';

testComponentControl(control, {
  valid: [
    { name: 'KMS v2', flags: [FLAG], hostFiles: { [FILE]: config('kms: {apiVersion: v2, name: k, endpoint: "unix:///kms.sock"}') } },
    { name: '1.27: KMS v1 is not deprecated yet', version: '1.27', flags: [FLAG], hostFiles: { [FILE]: config(KMS_V1) } },
    { name: 'a live cluster: the file cannot be read', flags: [FLAG] },
    { name: 'no configuration: ENC-SECRETS-AT-REST reports it', flags: [] },
    { name: 'identity first: ENC-SECRETS-AT-REST reports it', flags: [FLAG], hostFiles: { [FILE]: config('identity: {}') } },
    { name: 'an unreadable file: ENC-SECRETS-AT-REST reports it', flags: [FLAG], hostFiles: {} },
  ],
  invalid: [
    { name: 'aescbc', flags: [FLAG], hostFiles: { [FILE]: config(`aescbc: ${KEY}`) }, messages: [/encrypts secrets with aescbc: aescbc is weaker \(CBC\) and not recommended, and its key sits on the control-plane disk; use a KMS v2 provider/] },
    { name: 'aesgcm', flags: [FLAG], hostFiles: { [FILE]: config(`aesgcm: ${KEY}`) }, messages: [/encrypts secrets with aesgcm: its key sits on the control-plane disk/] },
    { name: 'secretbox', flags: [FLAG], hostFiles: { [FILE]: config(`secretbox: ${KEY}`) }, messages: [/secretbox: its key sits on the control-plane disk/] },
    { name: '1.26: a local key, before KMS v2 is on by default', version: '1.26', flags: [FLAG], hostFiles: { [FILE]: config(`aesgcm: ${KEY}`) }, messages: [/use a KMS provider$/] },
    { name: '1.28: KMS v1 is deprecated', version: '1.28', flags: [FLAG], hostFiles: { [FILE]: config(KMS_V1) }, messages: [/KMS v1: deprecated since 1\.28 and disabled by default since 1\.29; set apiVersion: v2/] },
    { name: 'explicit apiVersion v1', flags: [FLAG], hostFiles: { [FILE]: config('kms: {apiVersion: v1, name: k, endpoint: "unix:///kms.sock"}') }, messages: [/KMS v1/] },
  ],
});
