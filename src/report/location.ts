import type { FindingLocation } from '../vocabulary/finding.js';

/** True for a live object's location (`cluster:/api/v1/...`): there is no file text, so no line to point at. */
export function hasLine(location: FindingLocation): boolean {
  return location.line > 0;
}

/** `file:line:column`, or only the resource's API path for a live object. */
export function locationText(location: FindingLocation, withColumn = true): string {
  if (!hasLine(location)) return location.file;
  return withColumn ? `${location.file}:${location.line}:${location.column}` : `${location.file}:${location.line}`;
}
