import type { ComponentViolation } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { array, record } from '../../util/object.js';
import { readConfigFile } from './config-file.js';

export const meta: ControlMeta = {
  id: 'AUD-APISERVER-AUDIT-LOG',
  title: 'The API server must write an audit log',
  rationale:
    'Without an audit policy and a log or webhook backend the API server records nothing about who did what: ' +
    'no trace of secret reads, exec sessions or RBAC changes to investigate or alert on. A policy without rules, or ' +
    'whose rules are all level None, logs nothing either.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 12, changes: [] },
  remediation: {
    text: 'Give kube-apiserver --audit-policy-file and --audit-log-path (or --audit-webhook-config-file); start from `kubeharden audit recommend` rather than logging everything.',
    snippet: '    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml\n    - --audit-log-path=/var/log/kubernetes/audit.log\n',
  },
  references: { kubescape: ['C-0067'], trivy: ['KCV-0019'], cis: ['1.2.16', '3.2.1'] },
  frameworks: ['nsa'],
};

const POLICY = 'audit-policy-file';

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const { flags } = component;
    const problems: ComponentViolation[] = [];
    if (!flags.value('audit-log-path') && !flags.value('audit-webhook-config-file')) {
      problems.push({ at: { flag: 'audit-log-path' }, message: 'neither --audit-log-path nor --audit-webhook-config-file is set: audit events have nowhere to go, so nothing is audited' });
    }
    if (!flags.value(POLICY)) {
      problems.push({ at: { flag: POLICY }, message: '--audit-policy-file is not set: without a policy the API server logs no events' });
      return problems;
    }
    const policy = readConfigFile(component, POLICY, 'Policy');
    if (policy === undefined) return problems;
    if ('problem' in policy) return [...problems, { at: { flag: POLICY }, message: `${policy.problem}: the API server cannot load this audit policy` }];
    const rules = array(policy.document['rules']);
    if (rules.length === 0) problems.push({ at: { flag: POLICY }, message: `${policy.path} has no rules: no events are logged` });
    else if (rules.every((rule) => record(rule)?.['level'] === 'None')) problems.push({ at: { flag: POLICY }, message: `${policy.path}: every rule has level None, so no events are logged` });
    return problems;
  },
};
