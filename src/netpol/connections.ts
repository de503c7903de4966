/**
 * Sets of connections: for each protocol NetworkPolicy knows (TCP, UDP, SCTP), a set of port ranges. Immutable;
 * ranges are kept sorted, disjoint and merged, so two equal sets have equal ranges and equal keys.
 */

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Inclusive port range. */
export type PortRange = readonly [number, number];

export function isProtocol(value: unknown): value is Protocol {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value);
}

function normalise(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges
    .map(([from, to]): PortRange => [Math.max(MIN_PORT, from), Math.min(MAX_PORT, to)])
    .filter(([from, to]) => from <= to)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aFrom, aTo] = a[i] as PortRange;
    const [bFrom, bTo] = b[j] as PortRange;
    const from = Math.max(aFrom, bFrom);
    const to = Math.min(aTo, bTo);
    if (from <= to) out.push([from, to]);
    if (aTo < bTo) i++;
    else j++;
  }
  return out;
}

function subtractRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const complement = normalise([[MIN_PORT, MAX_PORT]]);
  let rest: PortRange[] = complement;
  for (const [from, to] of b) rest = intersectRanges(rest, normalise([[MIN_PORT, from - 1], [to + 1, MAX_PORT]]));
  return intersectRanges(a, rest);
}

const FULL: readonly PortRange[] = [[MIN_PORT, MAX_PORT]];

export class ConnectionSet {
  private constructor(private readonly byProtocol: ReadonlyMap<Protocol, readonly PortRange[]>) {}

  static readonly none = new ConnectionSet(new Map());
  static readonly all = new ConnectionSet(new Map(PROTOCOLS.map((protocol) => [protocol, FULL])));

  static of(protocol: Protocol, ranges: readonly PortRange[]): ConnectionSet {
    const normal = normalise(ranges);
    return normal.length === 0 ? ConnectionSet.none : new ConnectionSet(new Map([[protocol, normal]]));
  }

  static port(protocol: Protocol, port: number, endPort = port): ConnectionSet {
    return ConnectionSet.of(protocol, [[port, endPort]]);
  }

  static allOf(protocol: Protocol): ConnectionSet {
    return ConnectionSet.of(protocol, FULL);
  }

  ranges(protocol: Protocol): readonly PortRange[] {
    return this.byProtocol.get(protocol) ?? [];
  }

  isEmpty(): boolean {
    return this.byProtocol.size === 0;
  }

  isAll(): boolean {
    return PROTOCOLS.every((protocol) => {
      const ranges = this.ranges(protocol);
      return ranges.length === 1 && ranges[0]?.[0] === MIN_PORT && ranges[0][1] === MAX_PORT;
    });
  }

  has(protocol: Protocol, port: number): boolean {
    return this.ranges(protocol).some(([from, to]) => port >= from && port <= to);
  }

  union(other: ConnectionSet): ConnectionSet {
    if (other.isEmpty() || this === other) return this;
    if (this.isEmpty()) return other;
    return this.combine(other, (a, b) => normalise([...a, ...b]));
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (this === other) return this;
    return this.combine(other, intersectRanges);
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (other.isEmpty()) return this;
    return this.combine(other, subtractRanges);
  }

  private combine(other: ConnectionSet, operation: (a: readonly PortRange[], b: readonly PortRange[]) => PortRange[]): ConnectionSet {
    const result = new Map<Protocol, readonly PortRange[]>();
    for (const protocol of PROTOCOLS) {
      const ranges = operation(this.ranges(protocol), other.ranges(protocol));
      if (ranges.length > 0) result.set(protocol, ranges);
    }
    return result.size === 0 ? ConnectionSet.none : new ConnectionSet(result);
  }

  equals(other: ConnectionSet): boolean {
    return this.key() === other.key();
  }

  /** `All Connections`, `No Connections`, or `SCTP 9003,TCP 80-81,UDP 53` (protocols in alphabetical order). */
  toString(): string {
    if (this.isEmpty()) return 'No Connections';
    if (this.isAll()) return 'All Connections';
    return PROTOCOLS.filter((protocol) => this.byProtocol.has(protocol))
      .map((protocol) => `${protocol} ${this.ranges(protocol).map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(',')}`)
      .join(',');
  }

  private cachedKey: string | undefined;

  /** A canonical string: equal sets, equal keys. */
  key(): string {
    this.cachedKey ??= this.toString();
    return this.cachedKey;
  }

  /** As data: protocol → ranges, for JSON output. */
  toJson(): Record<string, [number, number][]> {
    const json: Record<string, [number, number][]> = {};
    for (const protocol of PROTOCOLS) {
      const ranges = this.ranges(protocol);
      if (ranges.length > 0) json[protocol] = ranges.map(([from, to]) => [from, to]);
    }
    return json;
  }

  /**
   * Parses the text `toString` writes, and the netpol-analyzer's forms: `All Connections`, `No Connections`,
   * `TCP 8080`, `TCP 1-79,81-65535,UDP 53`, with `;` also accepted between protocols.
   */
  static parse(text: string): ConnectionSet {
    const trimmed = text.trim();
    if (/^all connections$/i.test(trimmed)) return ConnectionSet.all;
    if (trimmed === '' || /^no connections$/i.test(trimmed)) return ConnectionSet.none;
    let result = ConnectionSet.none;
    let protocol: Protocol | undefined;
    for (const raw of trimmed.split(/[,;]/)) {
      const token = raw.trim();
      const withProtocol = /^([A-Za-z]+)\s+(.+)$/.exec(token);
      let range = token;
      if (withProtocol) {
        const name = (withProtocol[1] as string).toUpperCase();
        if (!isProtocol(name)) throw new Error(`unknown protocol "${withProtocol[1]}" in "${text}"`);
        protocol = name;
        range = withProtocol[2] as string;
      }
      const match = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
      if (!protocol || !match) throw new Error(`cannot read connections "${text}"`);
      const from = Number(match[1]);
      result = result.union(ConnectionSet.port(protocol, from, match[2] === undefined ? from : Number(match[2])));
    }
    return result;
  }
}

/**
 * Interns connection sets as small integers, with cached unions and intersections, so a reachability matrix can
 * hold one number per pair. Id 0 is always "no connections" and id 1 "all connections".
 */
export class ConnectionTable {
  static readonly NONE = 0;
  static readonly ALL = 1;
  private readonly sets: ConnectionSet[] = [ConnectionSet.none, ConnectionSet.all];
  private readonly ids = new Map<string, number>([
    [ConnectionSet.none.key(), 0],
    [ConnectionSet.all.key(), 1],
  ]);
  private readonly unions = new Map<number, number>();
  private readonly intersections = new Map<number, number>();

  id(set: ConnectionSet): number {
    const key = set.key();
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      // The matrix stores ids in 16 bits; real policy sets produce a few hundred distinct port sets.
      if (id > 0xffff) throw new Error('more than 65,535 distinct port sets: the reachability matrix cannot hold them');
      this.sets.push(set);
      this.ids.set(key, id);
    }
    return id;
  }

  set(id: number): ConnectionSet {
    const set = this.sets[id];
    if (!set) throw new Error(`unknown connection set id ${id}`);
    return set;
  }

  union(a: number, b: number): number {
    if (a === b || b === ConnectionTable.NONE || a === ConnectionTable.ALL) return a;
    if (a === ConnectionTable.NONE || b === ConnectionTable.ALL) return b;
    const key = a < b ? a * 0x10000 + b : b * 0x10000 + a;
    let id = this.unions.get(key);
    if (id === undefined) {
      id = this.id(this.set(a).union(this.set(b)));
      this.unions.set(key, id);
    }
    return id;
  }

  intersect(a: number, b: number): number {
    if (a === b || b === ConnectionTable.ALL || a === ConnectionTable.NONE) return a;
    if (b === ConnectionTable.NONE || a === ConnectionTable.ALL) return b;
    const key = a < b ? a * 0x10000 + b : b * 0x10000 + a;
    let id = this.intersections.get(key);
    if (id === undefined) {
      id = this.id(this.set(a).intersect(this.set(b)));
      this.intersections.set(key, id);
    }
    return id;
  }
}
