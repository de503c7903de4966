import { createHash } from 'node:crypto';
import type { Finding } from '../vocabulary/finding.js';

/**
 * A live finding's identity for history and reports: control, object (or what a namespace-level finding is about),
 * field, message and whether it is accepted. Two findings of one control on one field (an RBAC binding granting
 * two dangerous rights) differ by message, so the message is part of it; a finding whose message changes is a new
 * one, the old one resolved.
 */
export function findingKey(finding: Finding): string {
  const { resource } = finding;
  return createHash('sha256')
    .update([finding.controlId, resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name ?? '', finding.field, finding.about ?? '', finding.message, finding.suppression ? 'accepted' : ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
