import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { array, isRecord, present, str } from '../../util/object.js';
import { celHas, volumeRule } from '../../engine/admission-cel.js';

/**
 * Volume sources outside the restricted allow-list (configMap, csi, downwardAPI, emptyDir, ephemeral, image,
 * persistentVolumeClaim, projected, secret). A volume with no known source is defaulted to emptyDir by the API
 * server, so only these named sources fail.
 */
const RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
] as const;

export const meta: ControlMeta = {
  id: 'POD-RESTRICTED-VOLUMES',
  title: 'Pods may use only core volume types',
  rationale:
    'Network and host volume types (NFS, iSCSI, hostPath, gitRepo, ...) reach outside the pod with node ' +
    'credentials; restricted pods should get storage through PersistentVolumeClaims.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (volumes)',
  pss: { level: 'restricted', check: 'restrictedVolumes' },
  severity: 'low',
  versions: { sinceMinor: 0, changes: [{ minor: 33, change: 'image volumes are allowed.' }] },
  remediation: {
    text: 'Use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral, image or persistentVolumeClaim volumes.',
    snippet: 'volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: data\n',
  },
  references: { trivy: ['KSV-0028'] },
  frameworks: ['nsa', 'pss-restricted'],
  overrides: [{ controlId: 'POD-NO-HOSTPATH', sinceMinor: 0 }],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      volumeRule(meta, { violates: RESTRICTED_SOURCES.map((source) => `(${celHas('v', source)})`).join(' || '), field: '', must: `must not use a restricted volume type (${RESTRICTED_SOURCES.join(', ')})` }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    array(spec.volumes).forEach((volume, index) => {
      if (!isRecord(volume)) return;
      for (const source of RESTRICTED_SOURCES) {
        if (present(volume[source])) {
          violations.push({
            path: [...specPath, 'volumes', index, source],
            message: `volume "${str(volume.name) ?? index}" uses restricted volume type ${source}`,
          });
        }
      }
    });
    return violations;
  },
};
