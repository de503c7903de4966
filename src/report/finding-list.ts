/**
 * The findings a report shows, as a view over the finding store: which findings (indexes, in report order) and,
 * under `--baseline`, which of them the baseline knows. Writers iterate it, reading one finding at a time, and ask
 * it for counts that the compact index answers without reading any finding back.
 */
import { FindingStore } from '../engine/finding-store.js';
import type { Finding } from '../vocabulary/finding.js';
import type { Severity } from '../vocabulary/severity.js';
import type { ReportFinding } from './report.js';

export class FindingList implements Iterable<ReportFinding> {
  constructor(
    readonly store: FindingStore,
    readonly order: Uint32Array,
    /** Per store index: 1 when the baseline holds the finding, 2 when it is new, 0 when not compared (suppressed). */
    private readonly baseline?: Uint8Array,
  ) {}

  /** Findings already made into report findings (tests, hand-built reports), in their given order. */
  static of(findings: Iterable<Finding & { baseline?: 'new' | 'unchanged' }>): FindingList {
    const store = new FindingStore();
    const known: number[] = [];
    let marked = false;
    for (const finding of findings) {
      store.add(finding);
      known.push(finding.baseline === 'unchanged' ? 1 : finding.baseline === 'new' ? 2 : 0);
      marked ||= finding.baseline !== undefined;
    }
    return new FindingList(store, Uint32Array.from({ length: store.size }, (_, index) => index), marked ? Uint8Array.from(known) : undefined);
  }

  get length(): number {
    return this.order.length;
  }

  *[Symbol.iterator](): Generator<ReportFinding> {
    for (const index of this.order) yield this.finding(index);
  }

  /** The finding at a store index, as the report shows it. */
  finding(index: number): ReportFinding {
    const finding = this.store.read(index) as ReportFinding & { baseline?: 'new' | 'unchanged' };
    const state = this.baseline?.[index];
    if (state === 1) finding.baseline = 'unchanged';
    else if (state === 2) finding.baseline = 'new';
    return finding;
  }

  /** The findings for which `keep(index)` holds, in the same order. */
  where(keep: (index: number) => boolean): FindingList {
    return new FindingList(this.store, this.order.filter((index) => keep(index)), this.baseline);
  }

  /** The first `count` findings. */
  take(count: number): FindingList {
    return count >= this.order.length ? this : new FindingList(this.store, this.order.subarray(0, count), this.baseline);
  }

  /** Findings no exception accepts. */
  open(): FindingList {
    return this.where((index) => !this.store.suppressedAt(index));
  }

  suppressed(): FindingList {
    return this.where((index) => this.store.suppressedAt(index));
  }

  /** The findings of these severities. */
  withSeverities(severities: ReadonlySet<Severity>): FindingList {
    return this.where((index) => severities.has(this.store.severityAt(index)));
  }

  /** Under `--baseline`: whether the finding at this store index is new. */
  isNew(index: number): boolean {
    return this.baseline?.[index] === 2;
  }

  severityAt(index: number): Severity {
    return this.store.severityAt(index);
  }

  /** How many findings match, without reading any back. */
  count(test: (index: number) => boolean): number {
    let count = 0;
    for (const index of this.order) if (test(index)) count++;
    return count;
  }

  /** Control ids in the order they first appear. */
  controlIds(): string[] {
    const seen = new Set<string>();
    for (const index of this.order) seen.add(this.store.controlAt(index));
    return [...seen];
  }

  /** How many distinct resources (file, kind, namespace, name) the findings are on. */
  resourceCount(): number {
    const seen = new Set<number>();
    for (const index of this.order) seen.add(this.store.resourceAt(index));
    return seen.size;
  }

  /**
   * The same findings with each resource's together, resources in the order of their first finding (in report
   * order: their most severe). Counting sort over the index: no finding is read back.
   */
  groupedByResource(): FindingList {
    const rank = new Map<number, number>();
    const counts: number[] = [];
    for (const index of this.order) {
      const resource = this.store.resourceAt(index);
      const known = rank.get(resource);
      if (known === undefined) {
        rank.set(resource, counts.length);
        counts.push(1);
      } else {
        counts[known] = (counts[known] as number) + 1;
      }
    }
    const next = new Uint32Array(counts.length);
    for (let group = 1; group < counts.length; group++) next[group] = (next[group - 1] as number) + (counts[group - 1] as number);
    const grouped = new Uint32Array(this.order.length);
    for (const index of this.order) {
      const group = rank.get(this.store.resourceAt(index)) as number;
      grouped[next[group] as number] = index;
      next[group] = (next[group] as number) + 1;
    }
    return new FindingList(this.store, grouped, this.baseline);
  }
}
