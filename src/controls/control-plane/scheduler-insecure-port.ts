import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { insecurePort } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-SCHED-NO-INSECURE-PORT',
  title: 'The scheduler must not serve its insecure port (10251)',
  rationale:
    'Up to 1.22 kube-scheduler served metrics and debugging endpoints over plain HTTP on 10251 without ' +
    'authentication unless --port=0. 1.23 removed insecure serving, so the check applies only up to 1.22.',
  nsaSection: 'Control plane hardening (control-plane ports: 10251)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, untilMinor: 22, changes: [{ minor: 23, change: 'insecure serving removed; the secure port is 10259' }] },
  remediation: { text: 'Start kube-scheduler with --port=0 and use the secure port 10259.', snippet: '    - --port=0\n' },
  references: {},
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-scheduler'],
  check: ({ component }) => insecurePort(component, 'port', 10251, true),
};
