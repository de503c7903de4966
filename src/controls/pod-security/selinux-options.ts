import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { podAndContainers, securityContext } from '../../kube/containers.js';
import { record, str } from '../../util/object.js';
import { containerRule, podRule, celField, celStrings } from '../../engine/admission-cel.js';

const ALLOWED_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
/** PSA 1.31 allows the type used by container engines running in pods. */
const ALLOWED_TYPES_1_31 = new Set([...ALLOWED_TYPES, 'container_engine_t']);
const ALLOWED_TYPES_1_0 = new Set(ALLOWED_TYPES);

export const meta: ControlMeta = {
  id: 'POD-SELINUX-RESTRICTED',
  title: 'SELinux options must not set a custom user, role or unsafe type',
  rationale:
    'A custom SELinux user, role or type can lift the confinement that keeps a container away from host files.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (seLinux)',
  pss: { level: 'baseline', check: 'seLinuxOptions' },
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [{ minor: 31, change: 'type container_engine_t is allowed.' }] },
  remediation: {
    text: 'Remove seLinuxOptions.user and .role; use type container_t (or leave it unset).',
    snippet: 'securityContext:\n  seLinuxOptions:\n    type: container_t\n',
  },
  references: { trivy: ['KSV-0025'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => {
      const allowed = version.minor >= 31 ? ALLOWED_TYPES_1_31 : ALLOWED_TYPES_1_0;
      const checks = [
        { field: 'type', violates: (v: string) => `!(${v} in ${celStrings(allowed)})`, must: `must be one of ${[...allowed].filter((t) => t !== '').join(', ')} or empty` },
        { field: 'user', violates: (v: string) => `${v} != ''`, must: 'must be empty' },
        { field: 'role', violates: (v: string) => `${v} != ''`, must: 'must be empty' },
      ];
      return checks.flatMap(({ field, violates, must }) => {
        const path = `securityContext.seLinuxOptions.${field}`;
        return [
          podRule(meta, { violates: celField('variables.spec', path, violates), field: path, must }),
          containerRule(meta, { violates: celField('c', path, violates), field: path, must }),
        ];
      });
    },
  },
  check({ spec, specPath, version }) {
    const allowedTypes = version.minor >= 31 ? ALLOWED_TYPES_1_31 : ALLOWED_TYPES_1_0;
    const violations: Violation[] = [];
    for (const { owner, path, who } of podAndContainers(spec, specPath)) {
      const options = record(securityContext(owner)?.seLinuxOptions);
      if (!options) continue;
      const base = [...path, 'securityContext', 'seLinuxOptions'];
      const type = str(options.type) ?? '';
      if (!allowedTypes.has(type)) {
        violations.push({ path: [...base, 'type'], message: `${who} sets forbidden SELinux type "${type}"` });
      }
      for (const field of ['user', 'role'] as const) {
        const value = str(options[field]) ?? '';
        if (value.length > 0) violations.push({ path: [...base, field], message: `${who} sets SELinux ${field} "${value}"` });
      }
    }
    return violations;
  },
};
