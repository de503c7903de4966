/**
 * Versions that are lists of numbers: Hackage (`1.0.0.0`, Haskell's Data.Version) and CRAN (`0.1-2`: R's
 * package_version, where `-` and `.` weigh the same). Compared number by number, a missing one as 0, and when they
 * are equal so far the longer list is greater (`1.0.0 > 1.0`). Hackage pre-releases do not exist; CRAN parts that are
 * not numbers are left out, as osv-scanner reads them.
 */
import { compareDigits } from './numbers.js';

function compareNumberLists(a: readonly string[], b: readonly string[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

const numbersOf = (parts: readonly string[]): string[] => parts.filter((part) => /^\d+$/.test(part));

export function compareHackage(a: string, b: string): number {
  return compareNumberLists(numbersOf(a.trim().split('.')), numbersOf(b.trim().split('.')));
}

export function compareCran(a: string, b: string): number {
  return compareNumberLists(numbersOf(a.trim().split(/[.-]/)), numbersOf(b.trim().split(/[.-]/)));
}
