import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { insecurePort } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-CM-NO-INSECURE-PORT',
  title: 'The controller-manager must not serve its insecure port (10252)',
  rationale:
    'Up to 1.21 kube-controller-manager served metrics and debugging endpoints over plain HTTP on 10252 without ' +
    'authentication unless --port=0. 1.22 removed insecure serving, so the check applies only up to 1.21.',
  nsaSection: 'Control plane hardening (control-plane ports: 10252)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, untilMinor: 21, changes: [{ minor: 22, change: 'insecure serving removed; the secure port is 10257' }] },
  remediation: { text: 'Start kube-controller-manager with --port=0 and use the secure port 10257.', snippet: '    - --port=0\n' },
  references: {},
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-controller-manager'],
  check: ({ component }) => insecurePort(component, 'port', 10252, true),
};
