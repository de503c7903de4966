import type { ScoreBoard } from '../engine/scores.js';

/** One run of controls on an object: the controls that ran, and its findings that count as failures. */
export interface ControlRun {
  readonly ran: readonly { readonly meta: { readonly id: string } }[];
  readonly failed: readonly { readonly controlId: string }[];
}

/**
 * Per control, the objects it assessed and failed, summed over every object held and kept up to date as objects
 * are judged, changed and removed: the scores after a batch cost what the batch changed, not a pass over every
 * object. Counts as `ScoreBoard.recordRun` makes them (each control that ran assessed the object once; each control
 * with a finding on it failed it once), so `addTo` gives a board the same totals.
 */
export class ScoreTally {
  private readonly counts = new Map<string, { assessed: number; failed: number }>();

  /** An object's runs joined the tally. */
  add(runs: readonly ControlRun[]): void {
    this.count(runs, 1);
  }

  /** An object's runs, added before, left it (the object changed or went). */
  subtract(runs: readonly ControlRun[]): void {
    this.count(runs, -1);
  }

  /** Records the totals on a board. */
  addTo(board: ScoreBoard): void {
    for (const [id, { assessed, failed }] of this.counts) board.record(id, assessed, failed);
  }

  private count(runs: readonly ControlRun[], sign: 1 | -1): void {
    for (const run of runs) {
      for (const control of run.ran) this.counted(control.meta.id).assessed += sign;
      if (run.failed.length === 0) continue;
      for (const controlId of new Set(run.failed.map((finding) => finding.controlId))) this.counted(controlId).failed += sign;
    }
  }

  private counted(id: string): { assessed: number; failed: number } {
    let counts = this.counts.get(id);
    if (!counts) this.counts.set(id, (counts = { assessed: 0, failed: 0 }));
    return counts;
  }
}
