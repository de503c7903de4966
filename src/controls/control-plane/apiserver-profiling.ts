import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { profilingOff } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-PROFILING',
  title: 'The API server should not expose profiling endpoints',
  rationale:
    'With --profiling on (the default), /debug/pprof serves the API server\'s internals to anyone allowed that ' +
    'non-resource URL: program details an attacker can use, and a way to load the server. It is not needed in production.',
  nsaSection: 'Control plane hardening',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-apiserver with --profiling=false.', snippet: '    - --profiling=false\n' },
  references: { trivy: ['KCV-0018'], cis: ['1.2.15'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => profilingOff(component, 6443),
};
