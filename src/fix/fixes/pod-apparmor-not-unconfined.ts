import { containersOf, podAndContainers, securityContext } from '../../kube/containers.js';
import { isRecord, present, record, str, stringOf } from '../../util/object.js';
import { ANNOTATION_PREFIX, ALLOWED_TYPES, allowedAnnotationValue } from '../../controls/pod-security/apparmor-profile.js';
import type { AutomaticFix } from '../fix-module.js';
import type { EditOp } from '../yaml-edit.js';

/** The release whose API server reads `securityContext.appArmorProfile`; before it only the annotations count. */
const FIELD_SINCE_MINOR = 30;

export const fix: AutomaticFix = {
  controlId: 'POD-APPARMOR-NOT-UNCONFINED',
  // Unconfined (or an unknown profile) was asked for on purpose; confining the workload may break what it does.
  risk: 'review',
  summary: 'replace an unconfined or unknown AppArmor profile with RuntimeDefault (the field from 1.30, runtime/default in the annotation)',
  plan({ template, version }) {
    const { spec, specPath, metadata, metadataPath } = template;
    const edits: EditOp[] = [];
    const manual: string[] = [];
    for (const { owner, path, who } of podAndContainers(spec, specPath)) {
      const profile = securityContext(owner)?.appArmorProfile;
      if (!present(profile) || ALLOWED_TYPES.has(str(record(profile)?.type) ?? '')) continue;
      // The API server allows localhostProfile only with type Localhost: which profile was meant is a decision.
      if (present(record(profile)?.localhostProfile)) {
        manual.push(`${who} names a localhostProfile with AppArmor type "${str(record(profile)?.type) ?? ''}": decide whether it should be type Localhost`);
        continue;
      }
      edits.push({ op: 'set', path: [...path, 'securityContext', 'appArmorProfile', 'type'], value: 'RuntimeDefault' });
    }
    const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
    const containers = containersOf(spec, specPath);
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(ANNOTATION_PREFIX) || allowedAnnotationValue(stringOf(value ?? ''))) continue;
      // The editor does not remove keys, and from 1.30 the API server requires annotation and field to agree.
      edits.push({ op: 'set', path: [...metadataPath, 'annotations', key], value: 'runtime/default' });
      if (version.minor < FIELD_SINCE_MINOR) continue;
      const ref = containers.find((candidate) => candidate.name === key.slice(ANNOTATION_PREFIX.length));
      if (ref && !present(securityContext(ref.container)?.appArmorProfile)) {
        edits.push({ op: 'set', path: [...ref.path, 'securityContext', 'appArmorProfile', 'type'], value: 'RuntimeDefault' });
      }
    }
    return { edits, manual };
  },
};
