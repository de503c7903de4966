/**
 * RubyGems version ordering (`Gem::Version#<=>`): `-` reads as `.pre.`; the version splits into runs of digits
 * (numbers) and of letters (pre-release markers); trailing zeros are dropped from the numeric part and from the
 * part after the first letters; then segments compare one by one, a missing one as 0, letters below numbers.
 */
import { compareDigits, compareText } from './numbers.js';

type Segment = string;

const isNumber = (segment: Segment): boolean => /^\d+$/.test(segment);

function canonicalSegments(version: string): Segment[] {
  const text = version.trim() === '' ? '0' : version.trim().replace(/-/g, '.pre.');
  const segments = text.match(/[0-9]+|[a-z]+/gi) ?? [];
  const firstString = segments.findIndex((segment) => !isNumber(segment));
  const numeric = firstString === -1 ? segments : segments.slice(0, firstString);
  const rest = firstString === -1 ? [] : segments.slice(firstString);
  const dropZeros = (part: Segment[]): Segment[] => {
    let end = part.length;
    while (end > 0 && isNumber(part[end - 1]!) && /^0+$/.test(part[end - 1]!)) end--;
    return part.slice(0, end);
  };
  return [...dropZeros(numeric), ...dropZeros(rest)];
}

export function compareRubyGems(a: string, b: string): number {
  const left = canonicalSegments(a);
  const right = canonicalSegments(b);
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const l = left[i] ?? '0';
    const r = right[i] ?? '0';
    const numericL = isNumber(l);
    const numericR = isNumber(r);
    if (numericL && numericR) {
      const byNumber = compareDigits(l, r);
      if (byNumber !== 0) return byNumber;
    } else if (numericL !== numericR) {
      return numericL ? 1 : -1;
    } else if (l !== r) {
      return compareText(l, r);
    }
  }
  return 0;
}
