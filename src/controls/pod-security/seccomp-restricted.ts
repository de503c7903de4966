import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, isWindowsPod, securityContext } from '../../kube/containers.js';
import { present, record, str } from '../../util/object.js';
import { VALID_SECCOMP_TYPES } from './seccomp-baseline.js';
import { containerRule, podRule, celField, celHas, celStrings, WINDOWS_POD } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-SECCOMP-REQUIRED',
  title: 'A RuntimeDefault or Localhost seccomp profile must be set',
  rationale:
    'Without an explicit profile many runtimes run containers unconfined; RuntimeDefault blocks dozens of ' +
    'dangerous system calls at almost no cost.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (seccomp); Audit logging › seccomp',
  pss: { level: 'restricted', check: 'seccompProfile_restricted' },
  severity: 'medium',
  versions: { sinceMinor: 19, changes: [{ minor: 25, change: 'pods with spec.os.name: windows are exempt.' }] },
  remediation: {
    text: 'Set seccompProfile.type: RuntimeDefault in the pod securityContext.',
    snippet: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n',
  },
  references: { kubescape: ['C-0055'], trivy: ['KSV-0030'], cis: ['5.6.2'] },
  frameworks: ['nsa', 'pss-restricted'],
  overrides: [{ controlId: 'POD-SECCOMP-NOT-UNCONFINED', sinceMinor: 19 }],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => {
      const unless = version.minor >= 25 ? WINDOWS_POD : undefined;
      const valid = (v: string) => `(has(${v}.type) && ${v}.type in ${celStrings(VALID_SECCOMP_TYPES)})`;
      const podProfile = 'variables.spec.securityContext.seccompProfile';
      const podSet = celHas('variables.spec', 'securityContext.seccompProfile');
      const containerSet = celHas('c', 'securityContext.seccompProfile');
      return [
        podRule(meta, { violates: `(${podSet} && !${valid(podProfile)})`, field: 'securityContext.seccompProfile.type', must: 'must be RuntimeDefault or Localhost', unless }),
        containerRule(meta, {
          violates: `(${containerSet} ? !${valid('c.securityContext.seccompProfile')} : !(${podSet} && ${valid(podProfile)}))`,
          field: 'securityContext.seccompProfile.type',
          must: 'must be RuntimeDefault or Localhost (here or in the pod securityContext)',
          unless,
        }),
      ];
    },
  },
  check({ spec, specPath, version }) {
    if (version.minor >= 25 && isWindowsPod(spec)) return [];
    const violations: Violation[] = [];
    const typeOf = (profile: unknown) => str(record(profile)?.type) ?? '';

    const podProfile = securityContext(spec)?.seccompProfile;
    let podProfileValid = false;
    if (present(podProfile)) {
      podProfileValid = VALID_SECCOMP_TYPES.has(typeOf(podProfile));
      if (!podProfileValid) {
        violations.push({
          path: [...specPath, 'securityContext', 'seccompProfile', 'type'],
          message: `pod sets securityContext.seccompProfile.type to "${typeOf(podProfile)}"`,
        });
      }
    }
    for (const ref of containersOf(spec, specPath)) {
      const profile = securityContext(ref.container)?.seccompProfile;
      if (present(profile)) {
        if (!VALID_SECCOMP_TYPES.has(typeOf(profile))) {
          violations.push({
            path: [...ref.path, 'securityContext', 'seccompProfile', 'type'],
            message: `container "${ref.name}" sets securityContext.seccompProfile.type to "${typeOf(profile)}"`,
          });
        }
      } else if (!podProfileValid) {
        violations.push({
          path: [...ref.path, 'securityContext', 'seccompProfile'],
          message: `neither the pod nor container "${ref.name}" sets seccompProfile.type to RuntimeDefault or Localhost`,
        });
      }
    }
    return violations;
  },
};
