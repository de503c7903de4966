/**
 * Many short strings (object names, `kind namespace/name` keys) kept for a whole scan without a JavaScript string
 * each: their bytes go into one buffer that grows by doubling, and each is named by a number. A string of code
 * units below 256 (nearly every name) takes a byte a unit (latin1), any other two (UTF-16 as it is, so lone
 * surrogates from hostile input come back unchanged and never collide, as they would through UTF-8). A JavaScript
 * string and its slot cost about 40 bytes for a 10-character name and a Map entry about 30 more; here the bytes, a
 * start offset, a hash and a slot of the hash table cost about 30 in all. Callers keep what they know about each
 * string in typed arrays indexed by its id.
 */
// Small to start: a scan makes some forty of these (one per inventory control's failed subjects, the network
// model's, the finding store's), and on a chart of 18 objects 33 KiB each made a third of a scan's fixed cost.
// Growth by doubling ends at the same sizes for large inputs.
const INITIAL = 16;
const EMPTY_SLOT = -1;
// Until the first string, a table holds these shared empty arrays (never written: each is replaced before a write),
// so the many tables that stay empty (an inventory control that fails nothing) allocate nothing.
const NO_BYTES = Buffer.alloc(0);
const NO_STARTS = new Uint32Array(0);
const NO_WIDE = new Uint8Array(0);
const NO_HASHES = new Uint32Array(0);
const NO_SLOTS = new Int32Array([EMPTY_SLOT]);

export class PackedStrings {
  private bytes = NO_BYTES;
  private used = 0;
  /** starts[id] is where string id begins; it ends where the next begins (or at `used`). */
  private starts = NO_STARTS;
  /** 1 when string id is stored as UTF-16. */
  private wide = NO_WIDE;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends a string (equal strings get different ids) and returns its id. */
  add(text: string): number {
    const id = this.count;
    if (id === this.starts.length) {
      this.starts = grown(this.starts);
      this.wide = grown(this.wide);
    }
    const encoding = encodingOf(text);
    this.reserve(text.length * 2);
    this.starts[id] = this.used;
    this.wide[id] = encoding === 'latin1' ? 0 : 1;
    this.used += this.bytes.write(text, this.used, encoding);
    this.count++;
    return id;
  }

  text(id: number): string {
    return this.bytes.toString(this.wide[id] === 1 ? 'utf16le' : 'latin1', this.starts[id] as number, this.end(id));
  }

  /** Is string `id` stored as the first `length` bytes of `other` in that encoding? */
  equals(id: number, other: Buffer, length: number, encoding: Encoding): boolean {
    const start = this.starts[id] as number;
    const end = this.end(id);
    return end - start === length && this.wide[id] === (encoding === 'latin1' ? 0 : 1) && this.bytes.compare(other, 0, length, start, end) === 0;
  }

  private end(id: number): number {
    return id + 1 < this.count ? (this.starts[id + 1] as number) : this.used;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.bytes.length) return;
    let size = Math.max(INITIAL * 16, this.bytes.length * 2);
    while (this.used + bytes > size) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
}

/** Distinct strings, each with a dense id (0, 1, 2, … in the order first seen), found again by their text. */
export class StringIds {
  private readonly strings = new PackedStrings();
  private hashes = NO_HASHES;
  /** Open addressing, linear probing; a power of two at most half full. */
  private slots = NO_SLOTS;
  private scratch = NO_BYTES;
  /** The hash of the text find() looked for last (intern() places it without hashing again). */
  private lastHash = 0;

  get size(): number {
    return this.strings.size;
  }

  /** The id of `text`, or -1 when it was never added. */
  find(text: string): number {
    const encoding = encodingOf(text);
    if (text.length * 2 > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(256, text.length * 2));
    const length = this.scratch.write(text, 0, encoding);
    // The encoding is part of the hash: the same bytes in latin1 and UTF-16 are different texts.
    const hash = fnv1a(this.scratch, length, encoding === 'latin1' ? 0x811c9dc5 : 0x050c5d1f);
    this.lastHash = hash;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] as number;
      if (id === EMPTY_SLOT) return -1;
      if (this.hashes[id] === hash && this.strings.equals(id, this.scratch, length, encoding)) return id;
    }
  }

  /** The id of `text`, added when new; `added` tells which. */
  intern(text: string): { id: number; added: boolean } {
    const found = this.find(text);
    if (found >= 0) return { id: found, added: false };
    const hash = this.lastHash;
    const id = this.strings.add(text);
    if (id === this.hashes.length) this.hashes = grown(this.hashes);
    this.hashes[id] = hash;
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id, hash);
    return { id, added: true };
  }

  text(id: number): string {
    return this.strings.text(id);
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== EMPTY_SLOT) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(EMPTY_SLOT);
    for (let id = 0; id < this.strings.size; id++) this.place(id, this.hashes[id] as number);
  }

}

type Encoding = 'latin1' | 'utf16le';

/** Latin1 holds exactly the strings of code units below 256; UTF-16 holds any string exactly. */
function encodingOf(text: string): Encoding {
  return WIDE.test(text) ? 'utf16le' : 'latin1';
}
const WIDE = /[^\u0000-\u00ff]/;

function fnv1a(bytes: Uint8Array, length: number, seed: number): number {
  let hash = seed;
  for (let index = 0; index < length; index++) hash = Math.imul(hash ^ (bytes[index] as number), 0x01000193);
  return hash >>> 0;
}

/**
 * A copy of a typed array with room for `length` entries, by default twice as many as now (growing by doubling
 * keeps appends linear; small tables, such as a namespace's few workloads, start small).
 */
export function grown<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(array: T, length = Math.max(16, array.length * 2)): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}
