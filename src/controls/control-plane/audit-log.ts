import yaml from 'js-yaml';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { isRecord } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'AUD-APISERVER-AUDIT-LOG',
  title: 'The API server must write an audit log',
  rationale:
    'Without an audit policy and a log or webhook backend the API server records nothing about who did what: ' +
    'no trace of secret reads, exec sessions or RBAC changes to investigate or alert on.',
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

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const { flags, reader } = component;
    const backend = flags.value('audit-log-path') ?? flags.value('audit-webhook-config-file');
    const policy = flags.value('audit-policy-file');
    const problems = [];
    if (backend === undefined) problems.push({ at: { flag: 'audit-log-path' }, message: 'neither --audit-log-path nor --audit-webhook-config-file is set: nothing is audited' });
    if (policy === undefined) {
      problems.push({ at: { flag: 'audit-policy-file' }, message: '--audit-policy-file is not set: without a policy the API server logs no events' });
    } else if (reader) {
      const read = reader.read(policy);
      if ('error' in read) problems.push({ at: { flag: 'audit-policy-file' }, message: read.error });
      else {
        let document: unknown;
        try {
          document = yaml.load(read.text);
        } catch (error) {
          document = undefined;
          problems.push({ at: { flag: 'audit-policy-file' }, message: `${policy} is not valid YAML: ${(error as Error).message.split('\n')[0]}` });
        }
        const rules = isRecord(document) && Array.isArray(document['rules']) ? document['rules'] : [];
        if (document !== undefined && rules.length === 0) problems.push({ at: { flag: 'audit-policy-file' }, message: `${policy} has no rules: no events are logged` });
      }
    }
    return problems;
  },
};
