import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'AUD-APISERVER-AUDIT-LOG-RETENTION',
  title: 'The audit log file should rotate with a set retention (at least 30 days, 10 files, 100 MB per file)',
  rationale:
    'Small limits delete evidence before anyone looks; no limits keep every rotated file until the control-plane disk ' +
    'fills. The CIS benchmark asks for at least 30 days, 10 files and 100 MB per file. An unset --audit-log-maxsize ' +
    'rotates at 100 MB (the log library\'s default), so it passes; unset maxage and maxbackup mean no limit at all.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (fault tolerance)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set --audit-log-maxage=30, --audit-log-maxbackup=10 and --audit-log-maxsize=100 (or more, as the disk allows), or ship the log to a collector.',
    snippet: '    - --audit-log-maxage=30\n    - --audit-log-maxbackup=10\n    - --audit-log-maxsize=100\n',
  },
  references: { trivy: ['KCV-0020', 'KCV-0021', 'KCV-0022'], cis: ['1.2.17', '1.2.18', '1.2.19'] },
  frameworks: ['nsa'],
};

/** The CIS minimums, and what 0 (the flag's default) means for each. */
const LIMITS = [
  { flag: 'audit-log-maxage', minimum: 30, unit: 'days', unlimited: 'rotated files are never deleted by age' },
  { flag: 'audit-log-maxbackup', minimum: 10, unit: 'rotated files', unlimited: 'every rotated file is kept until the disk fills' },
  { flag: 'audit-log-maxsize', minimum: 100, unit: 'MB', unlimited: undefined },
] as const;

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const path = component.flags.value('audit-log-path');
    // Only a log file rotates; `-` is standard output, collected elsewhere, and no log is AUD-APISERVER-AUDIT-LOG's finding.
    if (!path || path === '-') return [];
    return LIMITS.flatMap(({ flag, minimum, unit, unlimited }) => {
      const text = component.flags.value(flag);
      const value = text === undefined ? 0 : Number(text);
      const at = { flag };
      if (Number.isNaN(value)) return [{ at, message: `--${flag}=${text} is not a number: the API server does not start with it` }];
      if (value === 0) {
        if (unlimited === undefined) return [];
        return [{ at, message: `${text === undefined ? `--${flag} is not set` : `--${flag}=0`}: ${unlimited}; set at least ${minimum} ${unit} deliberately` }];
      }
      return value >= minimum ? [] : [{ at, message: `--${flag}=${text} is below the CIS minimum of ${minimum} ${unit}: audit evidence is deleted sooner` }];
    });
  },
};
