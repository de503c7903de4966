import { control } from '../../../src/controls/control-plane/audit-log.js';
import { testComponentControl } from '../../support/component-tester.js';

const POLICY = '/etc/kubernetes/audit-policy.yaml';
const policy = (rules: string) => `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:${rules}\n`;
const LOG = ['--audit-log-path=/var/log/audit.log', `--audit-policy-file=${POLICY}`];

testComponentControl(control, {
  valid: [
    { name: 'policy and log', flags: LOG, hostFiles: { [POLICY]: policy('\n  - level: Metadata') } },
    { name: 'policy and webhook', flags: [`--audit-policy-file=${POLICY}`, '--audit-webhook-config-file=/etc/kubernetes/webhook.yaml'] },
    { name: 'a live cluster: the policy cannot be read', flags: LOG },
    { name: 'some rules log nothing, one logs', flags: LOG, hostFiles: { [POLICY]: policy('\n  - level: None\n    users: [system:kube-proxy]\n  - level: Metadata') } },
    { name: '1.11: before the control applies', version: '1.11', flags: [] },
  ],
  invalid: [
    { name: 'nothing', flags: [], messages: [/neither --audit-log-path nor --audit-webhook-config-file is set/, /--audit-policy-file is not set: without a policy the API server logs no events/] },
    { name: 'a log without a policy', flags: ['--audit-log-path=/var/log/audit.log'], messages: [/logs no events/] },
    { name: 'a policy without a backend', flags: [`--audit-policy-file=${POLICY}`], hostFiles: { [POLICY]: policy('\n  - level: Metadata') }, messages: [/nothing is audited/] },
    { name: 'a policy without rules', flags: [`--audit-policy-file=${POLICY}`, '--audit-log-path=-'], hostFiles: { [POLICY]: policy(' []') }, messages: [/audit-policy\.yaml has no rules: no events are logged/] },
    { name: 'only level None', flags: LOG, hostFiles: { [POLICY]: policy('\n  - level: None') }, messages: [/every rule has level None/] },
    { name: 'the policy file is missing', flags: LOG, hostFiles: {}, messages: [/audit-policy\.yaml: no such file: the API server cannot load this audit policy/] },
    { name: 'the policy is not YAML', flags: LOG, hostFiles: { [POLICY]: 'rules: [\n' }, messages: [/audit-policy\.yaml is not valid YAML/] },
    { name: 'the policy is another kind', flags: LOG, hostFiles: { [POLICY]: 'apiVersion: v1\nkind: ConfigMap\n' }, messages: [/has kind: ConfigMap, not Policy/] },
  ],
});
