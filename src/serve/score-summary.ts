import type { Scores } from '../engine/scores.js';

/** What the agent keeps of a scan's scores: the overall figures and each control's counts. */
export interface ScoreSummary {
  readonly overall: number | null;
  readonly weighted: number | null;
  /** Controls that assessed something: [id, assessed, failed]. */
  readonly controls: readonly (readonly [string, number, number])[];
}

export function scoreSummary(scores: Scores): ScoreSummary {
  return {
    overall: scores.overall,
    weighted: scores.weighted,
    controls: scores.controls.filter((control) => control.assessed > 0).map((control) => [control.id, control.assessed, control.failed] as const),
  };
}
