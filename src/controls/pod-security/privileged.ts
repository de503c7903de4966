import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, securityContext } from '../../kube/containers.js';
import { containerRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NO-PRIVILEGED',
  title: 'Containers must not run privileged',
  rationale:
    'A privileged container gets every capability and all host devices, and can escape to the node. ' +
    'The NSA/CISA guide lists privileged: false first among pod security settings.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (privileged)',
  pss: { level: 'baseline', check: 'privileged' },
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove securityContext.privileged from the container or set it to false; grant single capabilities instead.',
    snippet: 'containers:\n- name: app\n  securityContext:\n    privileged: false\n',
  },
  references: { kubescape: ['C-0057'], trivy: ['KSV-0017'], cis: ['5.2.2'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, { violates: celField('c', 'securityContext.privileged', (v) => `${v} == true`), field: 'securityContext.privileged', must: 'must not be true' }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      if (securityContext(ref.container)?.privileged === true) {
        violations.push({
          path: [...ref.path, 'securityContext', 'privileged'],
          message: `container "${ref.name}" sets securityContext.privileged: true`,
        });
      }
    }
    return violations;
  },
};
