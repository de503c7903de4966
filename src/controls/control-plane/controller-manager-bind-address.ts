import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { loopbackBind } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-CM-BIND-LOCALHOST',
  title: 'The controller-manager should listen on loopback only',
  rationale:
    'Nothing outside the control-plane host needs kube-controller-manager\'s secure port 10257 (health, metrics, ' +
    'profiling). Like kube-bench (CIS 1.3.7) this fails only an explicit non-loopback --bind-address; note that an ' +
    'unset flag means 0.0.0.0, which Trivy (KCV-0039) reports and this control lets pass.',
  nsaSection: 'Control plane hardening (control-plane ports: 10257)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-controller-manager with --bind-address=127.0.0.1.', snippet: '    - --bind-address=127.0.0.1\n' },
  references: { kubescape: ['C-0150'], trivy: ['KCV-0039'], cis: ['1.3.7'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-controller-manager'],
  check: ({ component }) => loopbackBind(component, 10257),
};
