/**
 * `kubeharden serve`'s engine: a watch per listed kind feeds the live cluster; changes are judged in small batches
 * (a change waits `batchMs` for others to join it, longer while batches take longer than that: batch-pacer.ts),
 * and after each batch the sinks hear the findings that appeared and the ones that went away (history,
 * PolicyReports, metrics).
 */
import type { ApiClient } from '../cluster/api-client.js';
import { LISTED_KINDS, type ListedKind } from '../cluster/resource-kinds.js';
import type { Scores } from '../engine/scores.js';
import type { Finding } from '../vocabulary/finding.js';
import { BatchPacer, DEFAULT_BATCH_MS } from './batch-pacer.js';
import { findingKey } from './finding-key.js';
import { KindWatch, type KindWatchOptions } from './kind-watch.js';
import { LiveCluster, type LiveClusterOptions, type SettleResult, type SettleStats } from './live-cluster.js';

/** What the agent tells its sinks after each batch. */
export interface Settled {
  readonly at: Date;
  /** Every current finding by its key. */
  readonly findings: ReadonlyMap<string, Finding>;
  readonly added: readonly string[];
  /**
   * Findings judged again under the same key whose other content changed (an ignore annotation's reason, say): the
   * key stays, so history sees nothing, but a report showing the finding is different.
   */
  readonly changed: readonly string[];
  /** Findings gone since the last batch, with their keys. */
  readonly removed: readonly (readonly [string, Finding])[];
  readonly scores: Scores;
  readonly stats: SettleStats;
  /** From the first event of the batch to the end of judging, ms (0 for the first judgement). */
  readonly lagMs: number;
  readonly initial: boolean;
}

export interface Sink {
  settled(event: Settled): Promise<void>;
  /** For a sink that writes in the background: resolves once everything it was handed is written (at shutdown). */
  idle?(): Promise<void>;
}

export interface AgentOptions extends LiveClusterOptions {
  readonly batchMs?: number;
  readonly watch?: KindWatchOptions;
  readonly log?: (line: string) => void;
  /** Each object event as it arrives, before it is judged (the benchmark times events to results with it). */
  readonly onEvent?: (kind: ListedKind, object: Record<string, unknown>) => void;
}

export class Agent {
  readonly live: LiveCluster;
  readonly watches: KindWatch[];
  private readonly sinks: Sink[] = [];
  private current = new Map<string, Finding>();
  /** Keys held by more than one finding object, with their number: one going leaves the key standing. */
  private readonly copies = new Map<string, number>();
  /** Each finding object's key, computed once: unchanged objects keep their finding objects between batches. */
  private readonly keys = new WeakMap<Finding, string>();
  private firstEventAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private settling: Promise<void> | undefined;
  /** The watches' changes that came while a batch settled, in order (see `settleLive`). */
  private held: (() => void)[] | undefined;
  private runs: Promise<void>[] = [];
  private readonly pacer: BatchPacer;
  private readyResolve: (() => void) | undefined;
  /** Resolves once every kind was listed once and judged. */
  readonly ready: Promise<void>;
  isReady = false;
  /** Event-to-settled latencies (ms) of recent batches, newest last; bounded. */
  readonly latencies: number[] = [];
  lastSettled: Settled | undefined;
  /** Sink failures and watch trouble, counted for /metrics. */
  errors = 0;
  private readonly listeners: ((event: Settled) => void)[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly options: AgentOptions,
  ) {
    this.live = new LiveCluster(options);
    this.pacer = new BatchPacer(options.batchMs ?? DEFAULT_BATCH_MS);
    this.ready = new Promise((resolve) => (this.readyResolve = resolve));
    const agent = this;
    this.watches = LISTED_KINDS.map(
      (kind) =>
        new KindWatch(
          client,
          kind,
          {
            replaced(listedKind, objects) {
              agent.apply(() => agent.live.replaceKind(listedKind, objects));
              agent.changed();
            },
            changed(listedKind, object) {
              agent.options.onEvent?.(listedKind, object);
              agent.apply(() => agent.live.upsert(listedKind, object));
              agent.changed();
            },
            removed(listedKind, object) {
              agent.options.onEvent?.(listedKind, object);
              agent.apply(() => agent.live.remove(listedKind, object));
              agent.changed();
            },
            unavailable(listedKind: ListedKind, status, reason) {
              agent.apply(() => agent.live.unavailable.set(listedKind.kind, { status, reason }));
              if (status !== 'not-served') agent.options.log?.(`${listedKind.kind} (${listedKind.apiVersion}) is not assessed: ${reason}`);
            },
            trouble(listedKind, message) {
              agent.errors++;
              agent.options.log?.(`watch ${listedKind.plural}: ${message}; retrying`);
            },
          },
          options.watch,
        ),
    );
  }

  addSink(sink: Sink): void {
    this.sinks.push(sink);
  }

  /** Called after each batch is judged and every sink has written it. */
  onSettled(listener: (event: Settled) => void): void {
    this.listeners.push(listener);
  }

  /** Starts every watch; resolves once the first judgement is written. */
  async start(): Promise<void> {
    let synced = 0;
    const allSynced = new Promise<void>((resolve) => {
      this.runs = this.watches.map((watch) =>
        watch.run(() => {
          synced++;
          if (synced === this.watches.length) resolve();
        }),
      );
    });
    await allSynced;
    this.live.start();
    // As a scheduled batch: a change that comes meanwhile waits for it, then gets its own.
    this.settling = this.pacer.time(() => this.settleNow(true));
    try {
      await this.settling;
    } finally {
      this.settling = undefined;
    }
    this.isReady = true;
    this.readyResolve?.();
    if (this.live.pending) this.schedule();
  }

  async stop(): Promise<void> {
    for (const watch of this.watches) watch.stop();
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.runs);
    await this.settling;
    for (const sink of this.sinks) await sink.idle?.();
  }

  /** The findings as of the last batch. */
  findings(): ReadonlyMap<string, Finding> {
    return this.current;
  }

  private changed(): void {
    if (!this.live.started) return;
    this.firstEventAt ??= performance.now();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.settling) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.settling = this.pacer.time(() => this.settleNow(false)).finally(() => {
        this.settling = undefined;
        if (this.live.pending) this.schedule();
      });
    }, this.pacer.waitMs());
  }

  private keyOf(finding: Finding): string {
    let key = this.keys.get(finding);
    if (key === undefined) this.keys.set(finding, (key = findingKey(finding)));
    return key;
  }

  /** A watch's change to the objects: now, or after the batch that is settling in steps. */
  private apply(change: () => void): void {
    if (this.held) this.held.push(change);
    else change();
  }

  /**
   * The batch's settle, in its steps (live-cluster.ts `settleSteps`), with the event loop's other work let in
   * between them: the answers of report writes and the next writes go on while a long batch settles, instead of
   * waiting for its end. The watches' changes are held until the last step and then applied, for the next batch.
   */
  private async settleLive(): Promise<SettleResult> {
    this.held = [];
    try {
      const steps = this.live.settleSteps();
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      const held = this.held;
      this.held = undefined;
      for (const change of held) change();
    }
  }

  private async settleNow(initial: boolean): Promise<void> {
    const firstEvent = this.firstEventAt;
    this.firstEventAt = undefined;
    const { stats, gone, came } = await this.settleLive();
    // The findings map is updated by what the batch dropped and made, not rebuilt: a batch costs what it changed.
    const dropped = new Map<string, Finding>();
    for (const finding of gone) {
      const key = this.keyOf(finding);
      const copies = this.copies.get(key);
      if (copies !== undefined) {
        // Another finding with this key stands.
        if (copies <= 2) this.copies.delete(key);
        else this.copies.set(key, copies - 1);
        continue;
      }
      if (!this.current.has(key)) continue;
      dropped.set(key, this.current.get(key)!);
      this.current.delete(key);
    }
    const added: string[] = [];
    const changed: string[] = [];
    for (const finding of came) {
      const key = this.keyOf(finding);
      if (this.current.has(key)) {
        this.copies.set(key, (this.copies.get(key) ?? 1) + 1);
        continue;
      }
      this.current.set(key, finding);
      // Dropped and made again (its object was judged again): the same finding, perhaps with other details.
      const before = dropped.get(key);
      if (before === undefined) added.push(key);
      else {
        dropped.delete(key);
        if (before !== finding && JSON.stringify(before) !== JSON.stringify(finding)) changed.push(key);
      }
    }
    const removed = [...dropped];
    const next = this.current;
    const event: Settled = { at: new Date(), findings: next, added, changed, removed, scores: this.live.scores(), stats, lagMs: 0, initial };
    for (const sink of this.sinks) {
      try {
        await sink.settled(event);
      } catch (error) {
        this.errors++;
        this.options.log?.(`writing results: ${(error as Error).message}`);
      }
    }
    const lagMs = firstEvent === undefined ? 0 : performance.now() - firstEvent;
    const done = { ...event, lagMs };
    if (firstEvent !== undefined) {
      this.latencies.push(lagMs);
      if (this.latencies.length > 10_000) this.latencies.splice(0, this.latencies.length - 10_000);
    }
    this.lastSettled = done;
    for (const listener of this.listeners) listener(done);
  }
}
