import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { podAndContainers, securityContext } from '../../kube/containers.js';
import { array } from '../../util/object.js';
import { containerRule, podRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NON-ROOT-GROUPS',
  title: 'Pods must not run with the root group',
  rationale:
    'Group 0 owns many host and image files; a process in the root group (primary, supplementary or fsGroup) can ' +
    'read and write them even as a non-root user. The guide\'s pod security policy required groups 1-65535.',
  nsaSection: 'Kubernetes Pod security › Non-root containers (runAsGroup, supplementalGroups, fsGroup; App. C)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set runAsGroup and fsGroup to a non-zero group and keep 0 out of supplementalGroups.',
    snippet: 'spec:\n  securityContext:\n    runAsGroup: 10001\n    fsGroup: 10001\n',
  },
  references: { kubescape: ['C-0013'], trivy: ['KSV-0116'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      podRule(meta, { violates: celField('variables.spec', 'securityContext.runAsGroup', (v) => `${v} == 0`), field: 'securityContext.runAsGroup', must: 'must not be 0' }),
      containerRule(meta, { violates: celField('c', 'securityContext.runAsGroup', (v) => `${v} == 0`), field: 'securityContext.runAsGroup', must: 'must not be 0' }),
      podRule(meta, { violates: celField('variables.spec', 'securityContext.fsGroup', (v) => `${v} == 0`), field: 'securityContext.fsGroup', must: 'must not be 0' }),
      podRule(meta, { violates: celField('variables.spec', 'securityContext.supplementalGroups', (v) => `0 in ${v}`), field: 'securityContext.supplementalGroups', must: 'must not include 0' }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const { owner, path, who } of podAndContainers(spec, specPath)) {
      if (securityContext(owner)?.runAsGroup === 0) {
        violations.push({ path: [...path, 'securityContext', 'runAsGroup'], message: `${who} sets securityContext.runAsGroup: 0` });
      }
    }
    const podContext = securityContext(spec);
    if (podContext?.fsGroup === 0) {
      violations.push({ path: [...specPath, 'securityContext', 'fsGroup'], message: 'pod sets securityContext.fsGroup: 0' });
    }
    array(podContext?.supplementalGroups).forEach((group, index) => {
      if (group === 0) {
        violations.push({
          path: [...specPath, 'securityContext', 'supplementalGroups', index],
          message: 'pod adds group 0 to securityContext.supplementalGroups',
        });
      }
    });
    return violations;
  },
};
