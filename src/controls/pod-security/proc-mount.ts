import type { ControlMeta, PodContext, PodControl, Violation } from '../../engine/types.js';
import { containersOf, securityContext, usesUserNamespace } from '../../kube/containers.js';
import { present, stringOf } from '../../util/object.js';
import { containerRule, celField, USER_NAMESPACE_POD } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-PROCMOUNT-DEFAULT',
  title: 'Containers must keep the default /proc masks',
  rationale: 'An Unmasked /proc exposes kernel interfaces that the runtime normally hides from containers.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (procMount)',
  pss: { level: 'baseline', check: 'procMount' },
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    changes: [{ minor: 35, change: 'pods with hostUsers: false (user namespaces) may set any procMount.' }],
  },
  remediation: {
    text: 'Remove securityContext.procMount or set it to Default.',
    snippet: 'securityContext:\n  procMount: Default\n',
  },
  references: { trivy: ['KSV-0027'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

/** Containers whose procMount is set to anything but Default; shared with the restricted variant. */
export function nonDefaultProcMounts({ spec, specPath }: PodContext): Violation[] {
  const violations: Violation[] = [];
  for (const ref of containersOf(spec, specPath)) {
    const procMount = securityContext(ref.container)?.procMount;
    if (present(procMount) && procMount !== 'Default') {
      violations.push({
        path: [...ref.path, 'securityContext', 'procMount'],
        message: `container "${ref.name}" sets securityContext.procMount to "${stringOf(procMount)}"`,
      });
    }
  }
  return violations;
}

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => [
      containerRule(meta, { violates: celField('c', 'securityContext.procMount', (v) => `${v} != 'Default'`), field: 'securityContext.procMount', must: 'must be Default', unless: version.minor >= 35 ? USER_NAMESPACE_POD : undefined }),
    ],
  },
  check(pod) {
    if (pod.version.minor >= 35 && usesUserNamespace(pod.spec)) return [];
    return nonDefaultProcMounts(pod);
  },
};
