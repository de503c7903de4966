import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'AUD-APISERVER-AUDIT-LOG-RETENTION',
  title: 'The audit log must be kept long enough (maxage 30, maxbackup 10, maxsize 100)',
  rationale:
    'Without rotation limits the API server keeps one ever-growing file, or with small limits it deletes evidence ' +
    'before anyone looks: the CIS benchmark asks for 30 days, 10 files and 100 MB per file.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (fault tolerance)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Set --audit-log-maxage=30, --audit-log-maxbackup=10 and --audit-log-maxsize=100 (or more), or ship the log to a collector.', snippet: '    - --audit-log-maxage=30\n    - --audit-log-maxbackup=10\n    - --audit-log-maxsize=100\n' },
  references: { trivy: ['KCV-0020', 'KCV-0021', 'KCV-0022'], cis: ['1.2.17', '1.2.18', '1.2.19'] },
  frameworks: ['nsa'],
};

const LIMITS = [
  { flag: 'audit-log-maxage', minimum: 30, unit: 'days' },
  { flag: 'audit-log-maxbackup', minimum: 10, unit: 'files' },
  { flag: 'audit-log-maxsize', minimum: 100, unit: 'MB' },
];

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const path = component.flags.value('audit-log-path');
    // Only a log file rotates; `-` is standard output, collected elsewhere, and no log is AUD-APISERVER-AUDIT-LOG's finding.
    if (path === undefined || path === '-') return [];
    return LIMITS.flatMap(({ flag, minimum, unit }) => {
      const value = component.flags.value(flag);
      if (value === undefined) return [{ at: { flag }, message: `--${flag} is not set (want at least ${minimum} ${unit})` }];
      return Number(value) >= minimum ? [] : [{ at: { flag }, message: `--${flag}=${value} is below ${minimum} ${unit}` }];
    });
  },
};
