import type { Finding } from '../vocabulary/finding.js';
import { SEVERITY_RANK } from '../vocabulary/severity.js';

/**
 * What orders findings in every report, defined once: most severe first, then file, line, column and control id.
 * `file` and `control` may be the strings themselves or ranks that sort like them (the finding store compares
 * interned ids ranked by their text), so the store and `sortFindings` cannot drift apart.
 */
export interface OrderKey {
  severityRank: number;
  file: string | number;
  line: number;
  column: number;
  control: string | number;
}

export function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  return (
    b.severityRank - a.severityRank ||
    compareValues(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareValues(a.control, b.control)
  );
}

export function compareValues(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function orderKeyOf(finding: Finding): OrderKey {
  const { location } = finding;
  return { severityRank: SEVERITY_RANK[finding.severity], file: location.file, line: location.line, column: location.column, control: finding.controlId };
}

export function compareFindings(a: Finding, b: Finding): number {
  return compareOrderKeys(orderKeyOf(a), orderKeyOf(b));
}
