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
  /** For a vulnerable package in an image (`kubeharden vuln`): the advisory, the package and how exposed it is. */
  readonly vulnerability?: VulnerabilitySummary;
}

/** What a vulnerability finding carries besides its message: everything a reader needs to triage it. */
export interface VulnerabilitySummary {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  /** CVSS vectors and scores as the advisory gives them. */
  readonly severity: readonly { readonly type: string; readonly vector: string; readonly score: number | null }[];
  readonly package: { readonly ecosystem: string; readonly name: string; readonly version: string; readonly path: string | null; readonly purl: string | null };
  readonly fixedVersion: string | null;
  /** The image that holds the package; null for a cluster component's CVE. */
  readonly image: string | null;
  readonly imageDigest: string | null;
  /** The digest of the layer that introduced the package. */
  readonly layer: string | null;
  /** The workloads that run the image (`Deployment shop/web`). */
  readonly workloads: readonly string[];
  /** For a CVE of the cluster's own components (`vuln --cluster`): which one, its version and the nodes running it. */
  readonly component?: { readonly name: string; readonly gitVersion: string; readonly nodes: readonly string[] };
  /** The exposure priority (0–100, higher first) and why. */
  readonly priority: number;
  readonly exposure: readonly string[];
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
