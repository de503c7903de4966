/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that matching reads. Records are validated
 * against the schema before they are used, so these shapes hold; fields we do not read are not listed.
 */

export type RangeEvent =
  | { readonly introduced: string }
  | { readonly fixed: string }
  | { readonly last_affected: string }
  | { readonly limit: string };

export interface OsvRange {
  readonly type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  readonly repo?: string;
  readonly events: readonly RangeEvent[];
}

export interface OsvSeverity {
  readonly type: string;
  readonly score: string;
}

export interface OsvAffected {
  readonly package?: { readonly ecosystem: string; readonly name: string; readonly purl?: string };
  readonly severity?: readonly OsvSeverity[];
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
}

export interface OsvRecord {
  readonly id: string;
  readonly modified: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[] | null;
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly OsvSeverity[] | null;
  readonly affected?: readonly OsvAffected[] | null;
}
