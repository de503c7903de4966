/**
 * The words every layer speaks about a finding (src/vocabulary/ is the bottom layer: it imports nothing of ours,
 * so loader/, kube/, components/ and engine/ can all use it without importing each other).
 */
import type { Severity } from './severity.js';

/** The Pod Security Standards level a control implements and its findings belong to. */
export type PssLevel = 'baseline' | 'restricted';

export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
}

export interface FindingLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The Helm chart template the document came from (`# Source:` comment). */
  readonly templateSource?: string;
  /** What rendered the object, for a chart or overlay scanned from its folder (`Helm chart charts/shop, values …`). */
  readonly renderedFrom?: string;
}

/** Why a finding does not count: an accepted risk, written down with a reason. */
export interface Suppression {
  /** `exception`: an entry of the configuration file; `annotation`: `kubeharden.io/ignore` on the resource. */
  readonly kind: 'exception' | 'annotation';
  readonly reason: string;
  readonly owner?: string;
  /** ISO date (YYYY-MM-DD) after which the exception no longer applies. */
  readonly expires?: string;
  /** Where the exception is written, as `file:line`. */
  readonly source: string;
}

/** Where a cross-resource finding attaches: an object and the position of the relevant field. */
export interface Subject {
  readonly resource: ResourceRef;
  readonly location: FindingLocation;
  readonly field: string;
}

export interface Finding {
  readonly controlId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly pss: { readonly level: PssLevel; readonly check: string } | null;
  readonly resource: ResourceRef;
  readonly location: FindingLocation;
  /** Path of the offending field within the resource. */
  readonly field: string;
  readonly message: string;
  readonly remediation: string;
  /** What the finding is about when the resource is only where it was found (`Namespace/shop`). */
  readonly about?: string;
  /** Present when an exception accepts this finding: it is reported but does not count. */
  readonly suppression?: Suppression;
  /** For a detection over an audit log: who did what, when and from where. */
  readonly event?: EventSummary;
}

/** The facts of an audit event a detection finding shows (never its request or response bodies). */
export interface EventSummary {
  readonly time: string;
  readonly auditID: string;
  readonly user: string;
  readonly groups: readonly string[];
  readonly impersonatedUser?: string;
  readonly sourceIPs: readonly string[];
  readonly userAgent?: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly stage: string;
  readonly responseCode?: number;
  readonly decision?: string;
}
