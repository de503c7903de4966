import { createHash } from 'node:crypto';
import { isAbsolute, normalize, relative, sep } from 'node:path';
import type { Finding } from '../engine/finding.js';

/**
 * A finding's identity that survives edits elsewhere in the file: control, resource, field and file, but no line
 * numbers and no message text. Baselines and SARIF `partialFingerprints` use it. A namespace-level finding is keyed
 * by its namespace alone: the object it is shown on changes when files are reordered.
 */
export function fingerprint(finding: Finding): string {
  const { resource, location } = finding;
  const key = finding.about !== undefined ? [finding.controlId, finding.about].join('\u0000') : [
    finding.controlId,
    resource.kind,
    resource.namespace ?? '',
    resource.name ?? '',
    finding.field,
    location.templateSource ?? portablePath(location.file),
  ].join('\u0000');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The file as a forward-slash path relative to the working folder, however it was spelled on the command line. */
export function portablePath(file: string): string {
  if (!isAbsolute(file) && !file.includes('\\') && !file.startsWith('.') && !file.includes('//')) return file;
  const path = isAbsolute(file) ? relative(process.cwd(), file) : normalize(file);
  return path.split(sep).join('/');
}
