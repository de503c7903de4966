import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { loopbackBind } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-SCHED-BIND-LOCALHOST',
  title: 'The scheduler should listen on loopback only',
  rationale:
    'Nothing outside the control-plane host needs kube-scheduler\'s secure port 10259 (health, metrics, profiling). ' +
    'Like kube-bench (CIS 1.4.2) this fails only an explicit non-loopback --bind-address; note that an unset flag ' +
    'means 0.0.0.0, which Trivy (KCV-0041) reports and this control lets pass.',
  nsaSection: 'Control plane hardening (control-plane ports: 10259)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-scheduler with --bind-address=127.0.0.1.', snippet: '    - --bind-address=127.0.0.1\n' },
  references: { kubescape: ['C-0152'], trivy: ['KCV-0041'], cis: ['1.4.2'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-scheduler'],
  check: ({ component }) => loopbackBind(component, 10259),
};
