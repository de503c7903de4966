import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { readConfigFile } from './config-file.js';
import { profilingOff } from './flag-rules.js';
import { stringOf } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'CP-SCHED-PROFILING',
  title: 'The scheduler should not expose profiling endpoints',
  rationale:
    'With profiling on (the default), /debug/pprof on the secure port shows kube-scheduler\'s internals and gives a ' +
    'way to load it. When kube-scheduler runs with --config, the --profiling flag is ignored and the ' +
    'KubeSchedulerConfiguration field enableProfiling (default true) decides.',
  nsaSection: 'Control plane hardening',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-scheduler with --profiling=false, or set enableProfiling: false in its --config file.', snippet: '    - --profiling=false\n' },
  references: { trivy: ['KCV-0040'], cis: ['1.4.1'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-scheduler'],
  check: ({ component }) => {
    if (!component.flags.value('config')) return profilingOff(component, 10259);
    const file = readConfigFile(component, 'config', 'KubeSchedulerConfiguration');
    // A --config file this scan cannot read (a live cluster) may turn profiling off: nothing to judge.
    if (file === undefined) return [];
    const at = { flag: 'config' };
    if ('problem' in file) return [{ at, message: `${file.problem}: cannot tell whether profiling is on` }];
    const enabled = file.document['enableProfiling'];
    if (enabled === false) return [];
    return [{ at, message: `${file.path} ${enabled === undefined ? 'does not set enableProfiling, which defaults to true' : `has enableProfiling: ${stringOf(enabled)}`}: /debug/pprof is served on the secure port (--profiling is ignored with --config)` }];
  },
};
