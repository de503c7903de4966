import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { array, isRecord, present, str } from '../../util/object.js';
import { celHas, volumeRule } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NO-HOSTPATH',
  title: 'Pods must not mount hostPath volumes',
  rationale:
    'A hostPath volume exposes the node file system to the pod: a writable mount of the wrong path gives the pod ' +
    'the node, and even read-only mounts leak credentials and logs of other workloads.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (allowedHostPaths)',
  pss: { level: 'baseline', check: 'hostPathVolumes' },
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Replace hostPath volumes with emptyDir, configMap, secret or persistentVolumeClaim volumes.',
    snippet: 'volumes:\n- name: scratch\n  emptyDir: {}\n',
  },
  references: { kubescape: ['C-0048'], trivy: ['KSV-0023'], cis: ['5.2.11'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [volumeRule(meta, { violates: celHas('v', 'hostPath'), field: 'hostPath', must: 'must not be used' })],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    array(spec.volumes).forEach((volume, index) => {
      if (isRecord(volume) && present(volume.hostPath)) {
        const hostPath = isRecord(volume.hostPath) ? str(volume.hostPath.path) : undefined;
        violations.push({
          path: [...specPath, 'volumes', index, 'hostPath'],
          message: `volume "${str(volume.name) ?? index}" mounts hostPath${hostPath ? ` ${hostPath}` : ''}`,
        });
      }
    });
    return violations;
  },
};
