/**
 * What a change waits for others to join its batch (`serve --batch`): a batch's fixed cost (each namespace it
 * touches runs its inventory controls again) is then paid once for more changes. On the bench's two cores, at 100
 * changes a second, 50 ms made 430 batches a minute, and the agent's CPU (0.6 of a core) left the API server too
 * little to take the PolicyReport writes: they ran 5–16 s behind. At 250 ms, 156 batches, 0.45 of a core, and the
 * reports p99 0.8 s (docs/serve.md, "Change → PolicyReport").
 */
export const DEFAULT_BATCH_MS = 250;

/**
 * How long the agent's next batch waits for changes to join it. A change waits `minMs` (`--batch`); while changes
 * keep coming and a batch takes longer than that to settle, the next batch waits as long as the last one took, so
 * under a steady stream the judgement takes at most about half of the time and the API server, etcd and the report
 * writers that share the machine keep the rest. After a quiet spell longer than the last batch took, a change
 * waits `minMs` again.
 */
export class BatchPacer {
  private lastMs = 0;
  private endedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly minMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The wait of a batch scheduled now. */
  waitMs(): number {
    const steady = this.now() - this.endedAt <= this.lastMs;
    return steady ? Math.max(this.minMs, this.lastMs) : this.minMs;
  }

  /** Runs a batch's settle and keeps how long it took. */
  async time<T>(settle: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await settle();
    } finally {
      this.endedAt = this.now();
      this.lastMs = this.endedAt - started;
    }
  }
}
