/**
 * Maven version ordering as `ComparableVersion` of Maven 3.9 and later does it (the behaviour we follow where
 * Maven 3.8.x differs; see docs/vuln.md "Version ordering and matching").
 *
 * A version is lower-cased and split into items at `.` and `-` and at every switch between digits and letters.
 * `-` (and a switch after digits) opens a nested list; items are numbers, qualifiers, or "combinations" (a
 * qualifier glued to a number, `alpha2`, or joined to it by `-`, `beta-2`). Qualifiers order as
 * `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`, unknown ones after those as text;
 * `a1`/`b1`/`m1` mean alpha/beta/milestone. Trailing null items (0, "") are dropped, so `1 = 1.0 = 1-ga`. A number
 * beats a list, a list beats a qualifier.
 */
import { compareDigits, compareText } from './numbers.js';

type Item =
  | { readonly kind: 'number'; readonly digits: string }
  | { readonly kind: 'qualifier'; readonly value: string }
  | { readonly kind: 'combination'; readonly qualifier: string; readonly number: Item }
  | { readonly kind: 'list'; readonly items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_INDEX = QUALIFIERS.indexOf('');
/** Spelled out, they rank as a release but are not empty: `1.0.final-redhat` keeps its `final` (MNG-7714). */
const RELEASE_QUALIFIERS = new Set(['ga', 'final', 'release']);
const ALIASES: Readonly<Record<string, string>> = { cr: 'rc' };
const SHORT: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };

function qualifier(text: string, followedByDigit: boolean): Item {
  const long = followedByDigit && text.length === 1 ? (SHORT[text] ?? text) : text;
  return { kind: 'qualifier', value: ALIASES[long] ?? long };
}

/** Known qualifiers by rank, unknown ones after all of them, in text order. */
function qualifierRank(value: string): string {
  if (RELEASE_QUALIFIERS.has(value)) return String(RELEASE_INDEX);
  const index = QUALIFIERS.indexOf(value);
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

const isAsciiDigit = (char: string): boolean => char >= '0' && char <= '9';

function combination(text: string): Item {
  const joined = text.replace(/-/g, '');
  const digitAt = [...joined].findIndex(isAsciiDigit);
  const head = digitAt === -1 ? joined : joined.slice(0, digitAt);
  const tail = digitAt === -1 ? '' : joined.slice(digitAt);
  const part = qualifier(head, true) as { value: string };
  return { kind: 'combination', qualifier: part.value, number: parseItem(false, true, tail) };
}

function parseItem(isCombination: boolean, isDigit: boolean, text: string): Item {
  if (isCombination) return combination(text);
  if (isDigit) return { kind: 'number', digits: text.replace(/^0+/, '') };
  return qualifier(text, false);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'number':
      return item.digits === '';
    case 'qualifier':
      return item.value === '';
    case 'combination':
      return false;
    case 'list':
      return item.items.length === 0;
  }
}

/**
 * Drops null items (0, "", empty lists) that are last, or that stand before a qualifier or before a list opening
 * with a qualifier: `1.0.0 = 1`, `1-0-alpha = 1-alpha`, but `1.0.1` keeps its 0.
 */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    if (!isNull(list[i]!)) continue;
    const next = list[i + 1];
    const nextOpensWithQualifier = next?.kind === 'list' && (next.items[0]?.kind === 'qualifier' || next.items[0]?.kind === 'combination');
    if (next === undefined || next.kind === 'qualifier' || nextOpensWithQualifier) list.splice(i, 1);
  }
}

export function parseMaven(version: string): Item[] {
  const text = version.toLowerCase();
  const root: Item[] = [];
  const lists: Item[][] = [root];
  let list = root;
  let isDigit = false;
  let isCombination = false;
  let start = 0;
  const chars = [...text];
  const openList = (): void => {
    const nested: Item[] = [];
    list.push({ kind: 'list', items: nested });
    lists.push(nested);
    list = nested;
  };
  // Positions are in code points, so a character outside the BMP is one character, as Java's code point loop has it.
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '.') {
      list.push(i === start ? { kind: 'number', digits: '' } : parseItem(isCombination, isDigit, chars.slice(start, i).join('')));
      isCombination = false;
      start = i + 1;
    } else if (char === '-') {
      if (i === start) {
        list.push({ kind: 'number', digits: '' });
      } else {
        // `X-1` reads as the combination X1.
        if (!isDigit && i !== chars.length - 1 && isAsciiDigit(chars[i + 1]!)) {
          isCombination = true;
          continue;
        }
        list.push(parseItem(isCombination, isDigit, chars.slice(start, i).join('')));
      }
      start = i + 1;
      if (list.length > 0) openList();
      isCombination = false;
    } else if (isAsciiDigit(char)) {
      if (!isDigit && i > start) {
        // `X1`: a qualifier glued to a number.
        isCombination = true;
        if (list.length > 0) openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(isCombination, true, chars.slice(start, i).join('')));
        start = i;
        openList();
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (chars.length > start) {
    // `1.0.0.X1 < 1.0.0-X2`: a trailing qualifier after `.` is read as if after `-`.
    if (!isDigit && list.length > 0) openList();
    list.push(parseItem(isCombination, isDigit, chars.slice(start).join('')));
  }
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i]!);
  return root;
}

/** Compares an item with another or with nothing (null: the other side has run out). */
function compareItem(item: Item, other: Item | null): number {
  switch (item.kind) {
    case 'number':
      if (other === null) return item.digits === '' ? 0 : 1;
      if (other.kind === 'number') return compareDigits(item.digits, other.digits);
      return 1;
    case 'qualifier':
      if (other === null) return compareText(qualifierRank(item.value), String(RELEASE_INDEX));
      if (other.kind === 'qualifier') return compareText(qualifierRank(item.value), qualifierRank(other.value));
      if (other.kind === 'combination') {
        const result = compareItem(item, { kind: 'qualifier', value: other.qualifier });
        return result === 0 ? -1 : result;
      }
      return -1;
    case 'combination':
      if (other === null) return compareItem({ kind: 'qualifier', value: item.qualifier }, null);
      if (other.kind === 'qualifier') {
        const result = compareItem({ kind: 'qualifier', value: item.qualifier }, other);
        return result === 0 ? 1 : result;
      }
      if (other.kind === 'combination') {
        return compareItem({ kind: 'qualifier', value: item.qualifier }, { kind: 'qualifier', value: other.qualifier }) || compareItem(item.number, other.number);
      }
      return -1;
    case 'list':
      if (other === null) {
        for (const member of item.items) {
          const result = compareItem(member, null);
          if (result !== 0) return result;
        }
        return 0;
      }
      if (other.kind === 'number') return -1;
      if (other.kind !== 'list') return 1;
      return compareLists(item.items, other.items);
  }
}

function compareLists(left: readonly Item[], right: readonly Item[]): number {
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const l = left[i] ?? null;
    const r = right[i] ?? null;
    const result = l === null ? (r === null ? 0 : -compareItem(r, null)) : compareItem(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

export function compareMaven(a: string, b: string): number {
  return Math.sign(compareLists(parseMaven(a), parseMaven(b)));
}
