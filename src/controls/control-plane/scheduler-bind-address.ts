import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-SCHED-BIND-LOCALHOST',
  title: 'The scheduler should listen on loopback only',
  rationale:
    'The scheduler\'s secure port (10259) serves health, metrics and debugging endpoints; nothing outside the ' +
    'control-plane host needs it. Like kube-bench, an unset --bind-address passes (kubeadm sets 127.0.0.1); an ' +
    'explicit address other than loopback fails.',
  nsaSection: 'Control plane hardening (control-plane ports)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-scheduler with --bind-address=127.0.0.1.', snippet: '    - --bind-address=127.0.0.1\n' },
  references: { kubescape: ['C-0152'], trivy: ['KCV-0041'], cis: ['1.4.2'] },
  frameworks: ['nsa'],
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-scheduler'],
  check: ({ component }) => {
    const address = component.flags.value('bind-address');
    if (address === undefined || LOOPBACK.has(address)) return [];
    return [{ at: { flag: 'bind-address' }, message: `--bind-address=${address} exposes port 10259 beyond the host` }];
  },
};
