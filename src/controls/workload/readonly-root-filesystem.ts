import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, securityContext } from '../../kube/containers.js';
import { containerRule, celField } from '../../engine/admission-cel.js';
import { stringOf } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'POD-READONLY-ROOTFS',
  title: 'Containers must run with a read-only root filesystem',
  rationale:
    'An immutable container file system stops an attacker from dropping tools, changing binaries or persisting in ' +
    'the container; writable paths the application needs go on emptyDir volumes.',
  nsaSection: 'Kubernetes Pod security › Immutable container file systems (App. B)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the application must write.',
    snippet: 'securityContext:\n  readOnlyRootFilesystem: true\nvolumeMounts:\n- name: tmp\n  mountPath: /tmp\n',
  },
  references: { kubescape: ['C-0017'], trivy: ['KSV-0014'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, {
        violates: `!${celField('c', 'securityContext.readOnlyRootFilesystem', (v) => `${v} == true`)}`,
        field: 'securityContext.readOnlyRootFilesystem',
        must: 'must be true',
      }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      const value = securityContext(ref.container)?.readOnlyRootFilesystem;
      if (value !== true) {
        violations.push({
          path: [...ref.path, 'securityContext', 'readOnlyRootFilesystem'],
          message:
            value === undefined || value === null
              ? `container "${ref.name}" does not set securityContext.readOnlyRootFilesystem: true`
              : `container "${ref.name}" sets securityContext.readOnlyRootFilesystem: ${stringOf(value)}`,
        });
      }
    }
    return violations;
  },
};
