import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, podAndContainers, securityContext } from '../../kube/containers.js';
import { isRecord, present, record, str, stringOf } from '../../util/object.js';
import { containerRule, podRule, celField, celStrings } from '../../engine/admission-cel.js';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export const VALID_SECCOMP_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

function validAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

export const meta: ControlMeta = {
  id: 'POD-SECCOMP-NOT-UNCONFINED',
  title: 'Seccomp must not be disabled',
  rationale:
    'Seccomp filters the system calls a container may make; an Unconfined profile opens the whole kernel surface.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (seccomp)',
  pss: { level: 'baseline', check: 'seccompProfile_baseline' },
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    changes: [
      { minor: 19, change: 'checks securityContext.seccompProfile.type instead of the alpha seccomp annotations.' },
    ],
  },
  remediation: {
    text: 'Set seccompProfile.type to RuntimeDefault (or Localhost) instead of Unconfined.',
    snippet: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n',
  },
  references: { trivy: ['KSV-0104'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => {
      const invalid = (v: string) => `!(has(${v}.type) && ${v}.type in ${celStrings(VALID_SECCOMP_TYPES)})`;
      const field = 'securityContext.seccompProfile.type';
      const must = 'must be RuntimeDefault or Localhost';
      return [
        podRule(meta, { violates: celField('variables.spec', 'securityContext.seccompProfile', invalid), field, must }),
        containerRule(meta, { violates: celField('c', 'securityContext.seccompProfile', invalid), field, must }),
      ];
    },
  },
  check({ spec, specPath, metadata, metadataPath, version }) {
    const violations: Violation[] = [];
    if (version.minor < 19) {
      // Before 1.19 seccomp was configured only through alpha annotations.
      const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
      const checkAnnotation = (key: string) => {
        if (!(key in annotations)) return;
        const value = stringOf(annotations[key] ?? '');
        if (!validAnnotationValue(value)) {
          violations.push({ path: [...metadataPath, 'annotations', key], message: `annotation ${key}="${value}" disables seccomp` });
        }
      };
      checkAnnotation(POD_ANNOTATION);
      for (const ref of containersOf(spec, specPath)) checkAnnotation(CONTAINER_ANNOTATION_PREFIX + ref.name);
      return violations;
    }
    for (const { owner, path, who } of podAndContainers(spec, specPath)) {
      const profile = securityContext(owner)?.seccompProfile;
      if (!present(profile)) continue;
      const type = str(record(profile)?.type) ?? '';
      if (!VALID_SECCOMP_TYPES.has(type)) {
        violations.push({
          path: [...path, 'securityContext', 'seccompProfile', 'type'],
          message: `${who} sets securityContext.seccompProfile.type to "${type}"`,
        });
      }
    }
    return violations;
  },
};
