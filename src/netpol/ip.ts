/**
 * Sets of IP addresses (IPv4 and IPv6 kept apart) as sorted, disjoint, merged intervals of big integers: what an
 * ipBlock `cidr` minus its `except` entries denotes.
 */

export type IpFamily = 4 | 6;

/** Inclusive address interval. */
export type IpInterval = readonly [bigint, bigint];

const MAX: Record<IpFamily, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };
const BITS: Record<IpFamily, bigint> = { 4: 32n, 6: 128n };

export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((part) => part > 255)) return undefined;
    return { family: 4, value: parts.reduce((value, part) => (value << 8n) | BigInt(part), 0n) };
  }
  if (!text.includes(':')) return undefined;
  // An IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  let address = text;
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (tail) {
    const parsed = parseIp(tail[1] as string);
    if (!parsed) return undefined;
    address = `${address.slice(0, tail.index)}${(parsed.value >> 16n).toString(16)}:${(parsed.value & 0xffffn).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return { family: 6, value };
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 does.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/** A CIDR as its family and interval; undefined when it is not one (the API server rejects such ipBlocks). */
export function parseCidr(text: string): { family: IpFamily; interval: IpInterval } | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const ip = parseIp(match[1] as string);
  if (!ip) return undefined;
  const prefix = BigInt(Number(match[2]));
  if (prefix > BITS[ip.family]) return undefined;
  const hostBits = BITS[ip.family] - prefix;
  const start = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, interval: [start, start + (1n << hostBits) - 1n] };
}

function normalise(intervals: readonly IpInterval[]): IpInterval[] {
  const sorted = [...intervals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1n) {
      if (to > last[1]) last[1] = to;
    } else merged.push([from, to]);
  }
  return merged;
}

function intersect(a: readonly IpInterval[], b: readonly IpInterval[]): IpInterval[] {
  const out: IpInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aFrom, aTo] = a[i] as IpInterval;
    const [bFrom, bTo] = b[j] as IpInterval;
    const from = aFrom > bFrom ? aFrom : bFrom;
    const to = aTo < bTo ? aTo : bTo;
    if (from <= to) out.push([from, to]);
    if (aTo < bTo) i++;
    else j++;
  }
  return out;
}

function complement(intervals: readonly IpInterval[], family: IpFamily): IpInterval[] {
  const out: IpInterval[] = [];
  let next = 0n;
  for (const [from, to] of intervals) {
    if (from > next) out.push([next, from - 1n]);
    next = to + 1n;
  }
  if (next <= MAX[family]) out.push([next, MAX[family]]);
  return out;
}

export class IpSet {
  private constructor(
    readonly v4: readonly IpInterval[],
    readonly v6: readonly IpInterval[],
  ) {}

  static readonly empty = new IpSet([], []);
  /** Every address: 0.0.0.0/0 and ::/0. */
  static readonly everything = new IpSet([[0n, MAX[4]]], [[0n, MAX[6]]]);

  static of(family: IpFamily, intervals: readonly IpInterval[]): IpSet {
    return family === 4 ? new IpSet(normalise(intervals), []) : new IpSet([], normalise(intervals));
  }

  /** A CIDR or a single address; undefined when the text is neither. */
  static parse(text: string): IpSet | undefined {
    const cidr = parseCidr(text);
    if (cidr) return IpSet.of(cidr.family, [cidr.interval]);
    const ip = parseIp(text.trim());
    return ip ? IpSet.of(ip.family, [[ip.value, ip.value]]) : undefined;
  }

  intervals(family: IpFamily): readonly IpInterval[] {
    return family === 4 ? this.v4 : this.v6;
  }

  isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  union(other: IpSet): IpSet {
    return new IpSet(normalise([...this.v4, ...other.v4]), normalise([...this.v6, ...other.v6]));
  }

  intersect(other: IpSet): IpSet {
    return new IpSet(intersect(this.v4, other.v4), intersect(this.v6, other.v6));
  }

  subtract(other: IpSet): IpSet {
    return new IpSet(intersect(this.v4, complement(other.v4, 4)), intersect(this.v6, complement(other.v6, 6)));
  }

  contains(family: IpFamily, value: bigint): boolean {
    return this.intervals(family).some(([from, to]) => value >= from && value <= to);
  }

  /** Does this set hold every address of `other`? */
  covers(other: IpSet): boolean {
    return other.subtract(this).isEmpty();
  }

  equals(other: IpSet): boolean {
    return this.toString() === other.toString();
  }

  /** `10.0.0.0-10.255.255.255, ::-ffff::` style ranges (the netpol-analyzer's notation). */
  toString(): string {
    const ranges = (family: IpFamily) =>
      this.intervals(family).map(([from, to]) => (from === to ? formatIp(family, from) : `${formatIp(family, from)}-${formatIp(family, to)}`));
    return [...ranges(4), ...ranges(6)].join(', ');
  }

  /** The set as CIDRs, the smallest list that covers it exactly. */
  toCidrs(): string[] {
    const cidrs: string[] = [];
    for (const family of [4, 6] as const) {
      for (const [from, to] of this.intervals(family)) {
        let start = from;
        while (start <= to) {
          let size = 0n;
          while (size < BITS[family] && (start & ((1n << (size + 1n)) - 1n)) === 0n && start + (1n << (size + 1n)) - 1n <= to) size++;
          cidrs.push(`${formatIp(family, start)}/${BITS[family] - size}`);
          start += 1n << size;
        }
      }
    }
    return cidrs;
  }
}
