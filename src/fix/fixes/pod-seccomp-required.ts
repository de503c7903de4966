import { containersOf, securityContext } from '../../kube/containers.js';
import { present, record, str } from '../../util/object.js';
import { VALID_SECCOMP_TYPES } from '../../controls/pod-security/seccomp-baseline.js';
import type { AutomaticFix } from '../fix-module.js';
import type { EditOp } from '../yaml-edit.js';

/** The pod annotation that selected the profile before the field existed (1.19); removed in 1.27. */
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';

export const fix: AutomaticFix = {
  controlId: 'POD-SECCOMP-REQUIRED',
  // RuntimeDefault is the profile containerd and CRI-O apply to every container when the kubelet runs with
  // SeccompDefault (default since 1.27); asking for it explicitly keeps what those pods already run under.
  risk: 'safe',
  summary: 'set the pod seccompProfile to RuntimeDefault (the annotation before 1.19)',
  plan({ template, version }) {
    const { spec, specPath, metadataPath } = template;
    if (version.minor < 19) {
      return { edits: [{ op: 'set', path: [...metadataPath, 'annotations', POD_ANNOTATION], value: 'runtime/default' }], manual: [] };
    }
    const edits: EditOp[] = [];
    const manual: string[] = [];
    const podProfile = securityContext(spec)?.seccompProfile;
    if (!present(podProfile) || !VALID_SECCOMP_TYPES.has(str(record(podProfile)?.type) ?? '')) {
      edits.push({ op: 'set', path: [...specPath, 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' });
    }
    for (const ref of containersOf(spec, specPath)) {
      const profile = securityContext(ref.container)?.seccompProfile;
      // A container that names its own profile chose it: replacing Unconfined is a decision, not a default.
      if (present(profile) && !VALID_SECCOMP_TYPES.has(str(record(profile)?.type) ?? '')) {
        manual.push(`container "${ref.name}" asks for seccomp type "${str(record(profile)?.type) ?? ''}": decide whether it can run under RuntimeDefault`);
      }
    }
    return { edits, manual };
  },
};
