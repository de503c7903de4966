/**
 * One copy of values that many records repeat (label sets, ports, namespaces, field names), for summaries kept while a
 * large input streams by. Each copy shares no memory with the document it came from. The tables are bounded: past
 * MAX_SHARED distinct values a value is copied but not kept, so an input of all-different values costs what it
 * cost without sharing.
 */
import { detach } from './object.js';

const MAX_SHARED = 1 << 16;

export class SharedValues {
  private readonly texts = new Map<string, string>();
  private readonly values = new Map<string, unknown>();

  text(value: string): string {
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    const copy = detach(value);
    if (this.texts.size < MAX_SHARED) this.texts.set(copy, copy);
    return copy;
  }

  /** A label set (string values only). */
  labels(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    return this.value(labels);
  }

  /**
   * A frozen copy of a small JSON value (a label set, a list of ports): the same object for every equal value
   * written in the same key order.
   */
  value<T>(value: T): T {
    return this.valueOf<T>(JSON.stringify(value));
  }

  /** `value` of the value this JSON text writes (the caller has it as text already). */
  valueOf<T>(key: string): T {
    const known = this.values.get(key);
    if (known !== undefined) return known as T;
    const copy = deepFreeze(JSON.parse(key) as T);
    if (this.values.size < MAX_SHARED) this.values.set(key, copy);
    return copy;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
