import type { ControlMeta, PodControl } from '../../engine/types.js';
import { missingResource } from './container-resources.js';
import { containerRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'RES-MEMORY-LIMIT',
  title: 'Containers must set a memory limit',
  rationale:
    'Without a memory limit a leaking or malicious container can exhaust node memory and get other pods, or system ' +
    'daemons, killed.',
  nsaSection: 'Network separation and hardening › Resource policies (App. F, G)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set resources.limits.memory on every container (a namespace LimitRange can provide a default).',
    snippet: 'resources:\n  limits:\n    memory: 256Mi\n',
  },
  references: { kubescape: ['C-0271'], trivy: ['KSV-0018'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, { violates: `!${celField('c', 'resources.limits.memory', (v) => `!(type(${v}) == string && ${v} == '')`)}`, field: 'resources.limits.memory', must: 'must be set', lists: ['containers'] }),
    ],
  },
  check: ({ spec, specPath }) => missingResource(spec, specPath, 'limits', 'memory'),
};
