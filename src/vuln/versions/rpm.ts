/**
 * rpm version ordering: `rpmvercmp` on one version or release string, and full `[epoch:]version[-release]` (EVR)
 * comparison as `rpmdev-vercmp`/labelCompare do it (a missing epoch is 0). Segments are runs of digits or of
 * letters; other characters only separate them. `~` sorts before anything (even the end), `^` after the end but
 * before any further segment; a digit segment beats a letter segment; digit segments compare as numbers.
 */
import { compareEpochs, splitEpochVersion } from './epoch.js';

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isAlpha = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const TILDE = 126;
const CARET = 94;

export function compareRpmSegments(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlpha(a.charCodeAt(i)) && !isDigit(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlpha(b.charCodeAt(j)) && !isDigit(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(ca);
    const inRun = numeric ? isDigit : isAlpha;
    const startA = i;
    const startB = j;
    while (i < a.length && inRun(a.charCodeAt(i))) i++;
    while (j < b.length && inRun(b.charCodeAt(j))) j++;
    // The segments are of different kinds: a number beats letters.
    if (j === startB) return numeric ? 1 : -1;
    let left = a.slice(startA, i);
    let right = b.slice(startB, j);
    if (numeric) {
      left = left.replace(/^0+/, '');
      right = right.replace(/^0+/, '');
      if (left.length !== right.length) return left.length < right.length ? -1 : 1;
    }
    if (left !== right) return left < right ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

export function compareRpm(a: string, b: string): number {
  const left = splitEpochVersion(a);
  const right = splitEpochVersion(b);
  if (left.epoch !== right.epoch) return compareEpochs(left, right);
  const byVersion = compareRpmSegments(left.version, right.version);
  if (byVersion !== 0) return byVersion;
  // A version without a release sorts below the same version with any release, even an empty one (`1 < 1-`).
  if (left.release === null || right.release === null) return left.release === right.release ? 0 : left.release === null ? -1 : 1;
  return compareRpmSegments(left.release, right.release);
}
