import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireBool } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-SCHED-PROFILING',
  title: 'The scheduler should not expose profiling endpoints',
  rationale: 'With --profiling on (the default), /debug/pprof on the scheduler\'s port shows its internals and can be used to load it. It is not needed in production.',
  nsaSection: 'Control plane hardening',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-scheduler with --profiling=false.', snippet: '    - --profiling=false\n' },
  references: { trivy: ['KCV-0040'], cis: ['1.4.1'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-scheduler'],
  check: ({ component }) => requireBool(component, 'profiling', false, true, 'it serves /debug/pprof'),
};
