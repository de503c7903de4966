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

  constructor(
    private readonly history: History,
    private readonly cluster: string,
    private readonly options: HistorySinkOptions = {},
  ) {}

  async settled(event: Settled): Promise<void> {
    const at = event.at.getTime();
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
      let open = 0;
      for (const finding of event.findings.values()) if (!finding.suppression) open++;
      await this.history.recordScores(this.cluster, at, summary, open);
      this.lastScores = text;
    }
  }
}
