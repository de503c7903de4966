import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { profilingOff } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-CM-PROFILING',
  title: 'The controller-manager should not expose profiling endpoints',
  rationale:
    'With --profiling on (the default), /debug/pprof on the secure port shows kube-controller-manager\'s internals and ' +
    'gives a way to load it. It is not needed in production.',
  nsaSection: 'Control plane hardening',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-controller-manager with --profiling=false.', snippet: '    - --profiling=false\n' },
  references: { trivy: ['KCV-0034'], cis: ['1.3.2'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-controller-manager'],
  check: ({ component }) => profilingOff(component, 10257),
};
