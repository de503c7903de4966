import type { PodTemplateRef } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import type { EditOp } from './yaml-edit.js';

/**
 * `safe`: cannot change what the workload does; `review`: may change behaviour, a person should look at the diff;
 * `manual`: needs a human decision, the output says which.
 */
export type Risk = 'safe' | 'review' | 'manual';
export const APPLICABLE_RISKS = ['safe', 'review'] as const;
export type ApplicableRisk = (typeof APPLICABLE_RISKS)[number];

export interface FixContext {
  readonly template: PodTemplateRef;
  readonly version: KubeVersion;
}

/** What a fix would change, and what it will not touch and why (those parts stay findings, marked manual). */
export interface FixPlan {
  readonly edits: readonly EditOp[];
  readonly manual: readonly string[];
}

/** The automatic fix of one control (one file per control under src/fix/fixes/). */
export interface AutomaticFix {
  readonly controlId: string;
  readonly risk: Exclude<Risk, 'manual'>;
  /** What the fix does, for the summary and the catalog. */
  readonly summary: string;
  plan(context: FixContext): FixPlan;
}

/** A control whose fix needs a person: the decision to make. */
export interface ManualFix {
  readonly controlId: string;
  readonly risk: 'manual';
  readonly decision: string;
}

export type ControlFix = AutomaticFix | ManualFix;
