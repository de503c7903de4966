import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-CM-BIND-LOCALHOST',
  title: 'The controller-manager should listen on loopback only',
  rationale:
    'The controller-manager\'s secure port (10257) serves health, metrics and debugging endpoints; nothing outside the ' +
    'control-plane host needs it. Like kube-bench, an unset --bind-address passes (kubeadm sets 127.0.0.1); an ' +
    'explicit address other than loopback fails.',
  nsaSection: 'Control plane hardening (control-plane ports)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-controller-manager with --bind-address=127.0.0.1.', snippet: '    - --bind-address=127.0.0.1\n' },
  references: { kubescape: ['C-0150'], trivy: ['KCV-0039'], cis: ['1.3.7'] },
  frameworks: ['nsa'],
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-controller-manager'],
  check: ({ component }) => {
    const address = component.flags.value('bind-address');
    if (address === undefined || LOOPBACK.has(address)) return [];
    return [{ at: { flag: 'bind-address' }, message: `--bind-address=${address} exposes port 10257 beyond the host` }];
  },
};
