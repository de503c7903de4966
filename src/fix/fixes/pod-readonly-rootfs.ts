import { containersOf, securityContext } from '../../kube/containers.js';
import { array, isRecord } from '../../util/object.js';
import type { AutomaticFix } from '../fix-module.js';
import type { EditOp } from '../yaml-edit.js';

/** The emptyDir volume that gives a read-only container somewhere to write temporary files. */
export const TMP_VOLUME = 'kubeharden-tmp';

export const fix: AutomaticFix = {
  controlId: 'POD-READONLY-ROOTFS',
  risk: 'review',
  summary: `set readOnlyRootFilesystem: true on each container and mount an emptyDir (${TMP_VOLUME}) at /tmp where none is mounted`,
  plan({ template }) {
    const { spec, specPath } = template;
    const edits: EditOp[] = [];
    let needsVolume = false;
    for (const ref of containersOf(spec, specPath)) {
      if (securityContext(ref.container)?.readOnlyRootFilesystem === true) continue;
      edits.push({ op: 'set', path: [...ref.path, 'securityContext', 'readOnlyRootFilesystem'], value: true });
      const mountsTmp = array(ref.container.volumeMounts).some((mount) => isRecord(mount) && mount.mountPath === '/tmp');
      if (!mountsTmp) {
        edits.push({ op: 'append', path: [...ref.path, 'volumeMounts'], value: { name: TMP_VOLUME, mountPath: '/tmp' } });
        needsVolume = true;
      }
    }
    const hasVolume = array(spec.volumes).some((volume) => isRecord(volume) && volume.name === TMP_VOLUME);
    if (needsVolume && !hasVolume) edits.push({ op: 'append', path: [...specPath, 'volumes'], value: { name: TMP_VOLUME, emptyDir: {} } });
    return { edits, manual: [] };
  },
};
