/**
 * Debian version ordering (`[epoch:]upstream[-revision]`), as deb-version(7) describes it: the epoch numerically,
 * then upstream and revision each compared by alternating non-digit and digit runs. In a non-digit run `~` sorts
 * before everything (even the end of the string), letters before other characters; digit runs compare as numbers.
 */
import { compareEpochs, splitEpochVersion } from './epoch.js';

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** The weight of one character of a non-digit run; the end of the string (NaN) weighs 0, `~` less. */
function weight(code: number): number {
  if (Number.isNaN(code) || isDigit(code)) return 0;
  if (code === 126) return -1; // ~
  if (isLetter(code)) return code;
  return code + 256;
}

/** Compares one part (upstream or revision); exported for the part-only sort table of dpkg's tests. */
export function compareDebianPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const difference = weight(a.charCodeAt(i)) - weight(b.charCodeAt(j));
      if (difference !== 0) return Math.sign(difference);
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    let firstDifference = 0;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDifference === 0) firstDifference = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDifference !== 0) return Math.sign(firstDifference);
  }
  return 0;
}

export function compareDebian(a: string, b: string): number {
  const left = splitEpochVersion(a);
  const right = splitEpochVersion(b);
  return (
    compareEpochs(left, right) ||
    compareDebianPart(left.version, right.version) ||
    // A missing revision is an empty one.
    compareDebianPart(left.release ?? '', right.release ?? '')
  );
}
