import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { podAndContainers, securityContext } from '../../kube/containers.js';
import { record } from '../../util/object.js';
import { containerRule, podRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NO-WINDOWS-HOSTPROCESS',
  title: 'Windows pods must not run as HostProcess',
  rationale: 'A Windows HostProcess container runs directly on the host with the privileges of a host process.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (privileged)',
  pss: { level: 'baseline', check: 'windowsHostProcess' },
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove windowsOptions.hostProcess from the pod and its containers, or set it to false.',
    snippet: 'securityContext:\n  windowsOptions:\n    hostProcess: false\n',
  },
  references: { trivy: ['KSV-0103'], cis: ['5.2.10'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => {
      const field = 'securityContext.windowsOptions.hostProcess';
      return [
        podRule(meta, { violates: celField('variables.spec', field, (v) => `${v} == true`), field, must: 'must not be true' }),
        containerRule(meta, { violates: celField('c', field, (v) => `${v} == true`), field, must: 'must not be true' }),
      ];
    },
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const { owner, path, who } of podAndContainers(spec, specPath)) {
      if (record(securityContext(owner)?.windowsOptions)?.hostProcess === true) {
        violations.push({
          path: [...path, 'securityContext', 'windowsOptions', 'hostProcess'],
          message: `${who} sets securityContext.windowsOptions.hostProcess: true`,
        });
      }
    }
    return violations;
  },
};
