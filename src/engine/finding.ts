import type { PssLevel, Severity } from './types.js';

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
}
