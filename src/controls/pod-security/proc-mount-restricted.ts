import type { ControlMeta, PodControl } from '../../engine/types.js';
import { nonDefaultProcMounts } from './proc-mount.js';
import { containerRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-PROCMOUNT-RESTRICTED',
  title: 'Containers must keep the default /proc masks, even in user namespaces',
  rationale:
    'From 1.35 baseline lets user-namespaced pods unmask /proc; restricted keeps the default masks for every pod.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (procMount)',
  pss: { level: 'restricted', check: 'procMount_restricted' },
  severity: 'medium',
  versions: { sinceMinor: 35, changes: [] },
  remediation: {
    text: 'Remove securityContext.procMount or set it to Default.',
    snippet: 'securityContext:\n  procMount: Default\n',
  },
  references: { trivy: ['KSV-0027'] },
  frameworks: ['nsa', 'pss-restricted'],
  overrides: [{ controlId: 'POD-PROCMOUNT-DEFAULT', sinceMinor: 35 }],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  check: nonDefaultProcMounts,
  admission: {
    validations: () => [
      containerRule(meta, { violates: celField('c', 'securityContext.procMount', (v) => `${v} != 'Default'`), field: 'securityContext.procMount', must: 'must be Default' }),
    ],
  },
};
