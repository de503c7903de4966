/**
 * The findings a report shows, as a view over the finding store: which findings (entries of its index, in report
 * order, read from the store's external sort each time the list is walked, never held) and, under `--baseline`,
 * which of them the baseline knows. Writers iterate it, reading one finding at a time, and ask it for counts that
 * the entries answer without reading any finding back.
 */
import { ENTRY_CODEC, FindingStore, type FindingEntry } from '../engine/finding-store.js';
import type { RecordCodec } from '../engine/external-sort.js';
import type { Finding } from '../vocabulary/finding.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
import type { ReportFinding } from './report.js';

export class FindingList implements Iterable<ReportFinding> {
  private counted: number | undefined;

  constructor(
    readonly store: FindingStore,
    /** The entries, in the list's order, each time it is called. */
    private readonly source: () => Iterable<FindingEntry>,
    /** Per finding (by the order added): 1 when the baseline holds it, 2 when it is new, 0 when not compared (suppressed). */
    private readonly baseline?: Uint8Array,
    /** The length when known without a walk (a filter's is counted on first use). */
    length?: number | (() => number),
    /** True when the list is every finding of the store (its counts per severity then answer for it). */
    private readonly whole = false,
  ) {
    this.counted = typeof length === 'number' ? length : undefined;
    if (typeof length === 'function') this.countLength = length;
  }

  private countLength: () => number = () => {
    let count = 0;
    for (const _ of this.source()) count++;
    return count;
  };

  /** Every finding of a store, in report order. */
  static ofStore(store: FindingStore, baseline?: Uint8Array): FindingList {
    return new FindingList(store, () => store.entries(), baseline, store.size, true);
  }

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
    // A hand-built report is small: its entries are held, in the order given.
    const entries = [...store.entries()].sort((a, b) => a.position - b.position);
    return new FindingList(store, () => entries, marked ? Uint8Array.from(known) : undefined, entries.length);
  }

  get length(): number {
    return (this.counted ??= this.countLength());
  }

  *[Symbol.iterator](): Generator<ReportFinding> {
    for (const entry of this.source()) yield this.finding(entry);
  }

  /** The entries in the list's order: numbers only, no finding read back. */
  entries(): Iterable<FindingEntry> {
    return this.source();
  }

  /** The finding an entry stands for, as the report shows it. */
  finding(entry: FindingEntry): ReportFinding {
    const finding = this.store.read(entry) as ReportFinding & { baseline?: 'new' | 'unchanged' };
    const state = this.baseline?.[entry.position];
    if (state === 1) finding.baseline = 'unchanged';
    else if (state === 2) finding.baseline = 'new';
    return finding;
  }

  /** The findings for which `keep(entry)` holds, in the same order. */
  where(keep: (entry: FindingEntry) => boolean, length?: number): FindingList {
    const source = this.source;
    return new FindingList(
      this.store,
      function* filtered() {
        for (const entry of source()) if (keep(entry)) yield entry;
      },
      this.baseline,
      length,
    );
  }

  /** The first `count` findings. */
  take(count: number): FindingList {
    if (count >= this.length) return this;
    const source = this.source;
    return new FindingList(
      this.store,
      function* first() {
        if (count <= 0) return;
        let taken = 0;
        for (const entry of source()) {
          yield entry;
          if (++taken === count) return;
        }
      },
      this.baseline,
      count,
    );
  }

  /** Findings no exception accepts. */
  open(): FindingList {
    return this.where((entry) => !this.store.isSuppressed(entry), this.whole ? this.countAll(false) : undefined);
  }

  suppressed(): FindingList {
    return this.where((entry) => this.store.isSuppressed(entry), this.whole ? this.countAll(true) : undefined);
  }

  /** The findings of these severities. */
  withSeverities(severities: ReadonlySet<Severity>): FindingList {
    return this.where((entry) => severities.has(this.store.severityOf(entry)));
  }

  /** Under `--baseline`: whether the finding is new. */
  isNew(entry: FindingEntry): boolean {
    return this.baseline?.[entry.position] === 2;
  }

  severityOf(entry: FindingEntry): Severity {
    return this.store.severityOf(entry);
  }

  controlOf(entry: FindingEntry): string {
    return this.store.controlOf(entry);
  }

  /** How many findings match, without reading any back. */
  count(test: (entry: FindingEntry) => boolean): number {
    let count = 0;
    for (const entry of this.source()) if (test(entry)) count++;
    return count;
  }

  /** Control ids in the order they first appear. */
  controlIds(): string[] {
    const seen = new Set<string>();
    for (const entry of this.source()) seen.add(this.store.controlOf(entry));
    return [...seen];
  }

  /** How many distinct resources (file, kind, namespace, name) the findings are on. */
  resourceCount(): number {
    const seen = new Uint8Array(this.store.resourceCount);
    let count = 0;
    for (const entry of this.source()) {
      if (seen[entry.resource] === 0) count++;
      seen[entry.resource] = 1;
    }
    return count;
  }

  /**
   * The same findings with each resource's together, resources in the order of their first finding (in report
   * order: their most severe). Each walk numbers the resources as they first come and sorts (group, place) through
   * an external sort: no finding is read back, and memory holds a number per resource and the sort's bound.
   */
  groupedByResource(): FindingList {
    const { store, source } = this;
    function* grouped(): Generator<FindingEntry> {
      const groupOf = new Int32Array(store.resourceCount).fill(-1);
      let groups = 0;
      let place = 0;
      const sort = store.newSort(PLACED_CODEC, () => byGroupThenPlace);
      try {
        for (const entry of source()) {
          let group = groupOf[entry.resource] as number;
          if (group === -1) groupOf[entry.resource] = group = groups++;
          sort.add({ group, place: place++, entry });
        }
        for (const placed of sort.sorted()) yield placed.entry;
      } finally {
        sort.close();
      }
    }
    return new FindingList(store, grouped, this.baseline, () => this.length);
  }

  private countAll(suppressed: boolean): number {
    let count = 0;
    for (const severity of SEVERITIES) count += this.store.countOf(severity, suppressed);
    return count;
  }
}

/** An entry with the number of its group and its place in the list before grouping. */
interface Placed {
  readonly group: number;
  readonly place: number;
  readonly entry: FindingEntry;
}

const PLACED_CODEC: RecordCodec<Placed> = {
  bytes: 8 + ENTRY_CODEC.bytes,
  write(item, buffer, at) {
    buffer.writeUInt32LE(item.group, at);
    buffer.writeUInt32LE(item.place, at + 4);
    ENTRY_CODEC.write(item.entry, buffer, at + 8);
  },
  read(buffer, at) {
    return { group: buffer.readUInt32LE(at), place: buffer.readUInt32LE(at + 4), entry: ENTRY_CODEC.read(buffer, at + 8) };
  },
};

function byGroupThenPlace(a: Placed, b: Placed): number {
  return a.group - b.group || a.place - b.place;
}

const HELD_CHUNK = 1 << 14;

/**
 * Entries held by number for a writer that must see every finding before writing one (JUnit groups by control,
 * PolicyReport by namespace): 36 bytes each in chunks of binary records, never an object per finding.
 */
export class HeldEntries {
  private readonly chunks: Buffer[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Holds an entry; returns its number. */
  push(entry: FindingEntry): number {
    const at = this.count % HELD_CHUNK;
    if (at === 0) this.chunks.push(Buffer.allocUnsafe(HELD_CHUNK * ENTRY_CODEC.bytes));
    ENTRY_CODEC.write(entry, this.chunks[this.chunks.length - 1] as Buffer, at * ENTRY_CODEC.bytes);
    return this.count++;
  }

  get(index: number): FindingEntry {
    return ENTRY_CODEC.read(this.chunks[Math.floor(index / HELD_CHUNK)] as Buffer, (index % HELD_CHUNK) * ENTRY_CODEC.bytes);
  }
}
