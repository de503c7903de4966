import type { Settled, Sink } from './agent.js';
import { scoreSummary, type ScoreSummary } from './score-summary.js';
import type { History } from './store/history.js';

export interface HistorySinkOptions {
  /** How often open findings' last seen time is written (ms); every batch would rewrite every open row. */
  readonly seenEveryMs?: number;
}

/** Writes each batch into the history: the first one reconciles with what an earlier run left open. */
export class HistorySink implements Sink {
  private lastScores: string | undefined;
  private lastSeenWrite = 0;
  /**
   * Findings not accepted, kept up to date from each batch's added and removed ones (acceptance is part of a
   * finding's key, so a changed finding keeps its state): counting 27,000 findings every batch cost more than
   * writing the batch.
   */
  private open = 0;

  constructor(
    private readonly history: History,
    private readonly cluster: string,
    private readonly options: HistorySinkOptions = {},
  ) {}

  async settled(event: Settled): Promise<void> {
    const at = event.at.getTime();
    if (event.initial) {
      this.open = 0;
      for (const finding of event.findings.values()) if (!finding.suppression) this.open++;
    } else {
      for (const key of event.added) if (!event.findings.get(key)!.suppression) this.open++;
      for (const [, finding] of event.removed) if (!finding.suppression) this.open--;
    }
    if (event.initial) {
      await this.history.reconcile(this.cluster, event.findings, at);
      this.lastSeenWrite = at;
    } else {
      await this.history.change(this.cluster, event.added.map((key) => [key, event.findings.get(key)!] as const), event.removed.map(([key]) => key), at);
      if (at - this.lastSeenWrite >= (this.options.seenEveryMs ?? 30_000)) {
        await this.history.seen(this.cluster, at);
        this.lastSeenWrite = at;
      }
    }
    const summary: ScoreSummary = scoreSummary(event.scores);
    const text = JSON.stringify(summary);
    // A point in the score history only when a score moved (or at the start).
    if (event.initial || text !== this.lastScores) {
      await this.history.recordScores(this.cluster, at, summary, this.open);
      this.lastScores = text;
    }
  }
}
