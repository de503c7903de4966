/** Safe accessors for untyped objects from YAML: any field may hold any type. */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record at `value`, or undefined when it is absent or not a mapping. */
export function record(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function array(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Go's "non-nil pointer": the field is there and not null. */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * A copy of a string that shares no memory with the document it came from. js-yaml returns slices of the input,
 * and V8 keeps the whole parent string alive for as long as any slice lives; findings outlive their file.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : (` ${text}`).slice(1);
}

/**
 * `table[key]` for a key that comes from input, without inherited properties: a kind, resource or key named
 * `constructor`, `toString` or `__proto__` must find nothing rather than a function of Object.prototype.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * `String(value)` for a value from input, which never throws: a mapping with a `toString` or `valueOf` key that
 * is not a function (`{toString: x}` is valid YAML) makes `String()` and template literals throw a TypeError.
 * Such a value reads as `[object Object]`, what any other mapping reads as.
 */
export function stringOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** `Number(value)` for a value from input, which never throws (NaN where `stringOf` would not convert). */
export function numberOf(value: unknown): number {
  try {
    return Number(value);
  } catch {
    return NaN;
  }
}
