import type { ControlMeta, PodControl } from '../../engine/types.js';
import { missingResource } from './container-resources.js';
import { containerRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'RES-CPU-LIMIT',
  title: 'Containers must set a CPU limit',
  rationale:
    'Without a CPU limit one compromised or runaway container can starve every other workload on its node, which ' +
    'the guide lists among the denial-of-service risks resource policies address.',
  nsaSection: 'Network separation and hardening › Resource policies (App. F, G)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set resources.limits.cpu on every container (a namespace LimitRange can provide a default).',
    snippet: 'resources:\n  limits:\n    cpu: 500m\n',
  },
  references: { kubescape: ['C-0270'], trivy: ['KSV-0011'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, { violates: `!${celField('c', 'resources.limits.cpu', (v) => `!(type(${v}) == string && ${v} == '')`)}`, field: 'resources.limits.cpu', must: 'must be set', lists: ['containers'] }),
    ],
  },
  check: ({ spec, specPath }) => missingResource(spec, specPath, 'limits', 'cpu'),
};
