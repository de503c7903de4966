import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { podAndContainers, securityContext } from '../../kube/containers.js';
import { isRecord, present, record, str, stringOf } from '../../util/object.js';
import { containerRule, podRule, annotationRule, celField, celStrings, celString } from '../../engine/admission-cel.js';

export const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
export const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Annotation values PSA accepts: empty, runtime/default, or a localhost/ profile. */
export function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

export const meta: ControlMeta = {
  id: 'POD-APPARMOR-NOT-UNCONFINED',
  title: 'AppArmor must not be disabled or overridden',
  rationale:
    'The runtime default AppArmor profile blocks many kernel attack paths; running unconfined removes that layer.',
  nsaSection: 'Kubernetes Pod security › Hardening container environments (AppArmor)',
  pss: { level: 'baseline', check: 'appArmorProfile' },
  severity: 'low',
  versions: {
    sinceMinor: 0,
    changes: [
      { minor: 30, change: 'securityContext.appArmorProfile fields replace the beta annotations; both are checked.' },
    ],
  },
  remediation: {
    text: 'Use the RuntimeDefault or a Localhost AppArmor profile, or leave it unset.',
    snippet: 'securityContext:\n  appArmorProfile:\n    type: RuntimeDefault\n',
  },
  references: { trivy: ['KSV-0002'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => {
      const forbidden = (v: string) => `!(has(${v}.type) && ${v}.type in ${celStrings(ALLOWED_TYPES)})`;
      const field = 'securityContext.appArmorProfile.type';
      const must = 'must be RuntimeDefault or Localhost';
      const value = 'variables.metadata.annotations[k]';
      return [
        podRule(meta, { violates: celField('variables.spec', 'securityContext.appArmorProfile', forbidden), field, must }),
        containerRule(meta, { violates: celField('c', 'securityContext.appArmorProfile', forbidden), field, must }),
        annotationRule(meta, {
          violates: `k.startsWith(${celString(ANNOTATION_PREFIX)}) && !(${value} == '' || ${value} == 'runtime/default' || ${value}.startsWith('localhost/'))`,
          must: 'must be runtime/default or localhost/<profile>',
        }),
      ];
    },
  },
  check({ spec, specPath, metadata, metadataPath }) {
    const violations: Violation[] = [];
    for (const { owner, path, who } of podAndContainers(spec, specPath)) {
      const profile = securityContext(owner)?.appArmorProfile;
      if (!present(profile)) continue;
      const type = str(record(profile)?.type) ?? '';
      if (!ALLOWED_TYPES.has(type)) {
        violations.push({
          path: [...path, 'securityContext', 'appArmorProfile', 'type'],
          message: `${who} sets AppArmor profile type ${type === '' ? '(empty)' : `"${type}"`}`,
        });
      }
    }

    const annotations = metadata.annotations;
    if (isRecord(annotations)) {
      for (const [key, value] of Object.entries(annotations)) {
        if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotationValue(stringOf(value ?? ''))) {
          violations.push({
            path: [...metadataPath, 'annotations', key],
            message: `annotation ${key}="${stringOf(value)}" sets a forbidden AppArmor profile`,
          });
        }
      }
    }
    return violations;
  },
};
