/**
 * Packagist (Composer) versions, ordered as PHP's `version_compare` after Composer's normalisation, the way
 * osv-scanner orders them: a leading `v` dropped, `-`, `_` and `+` read as `.`, a `.` put between digits and
 * letters, then part by part: numbers as numbers; words by their special form, `dev` < `alpha`/`a` < `beta`/`b` <
 * `RC`/`rc` < a number < `patch`/`pl`/`p` (any other word counts as `dev`). When one version runs out, a following
 * number makes the longer one greater; a following word is weighed against a number.
 */
import { compareDigits } from './numbers.js';

function canonicalParts(version: string): string[] {
  return version
    .replace(/^[vV]/, '')
    .replace(/[-_+]/g, '.')
    .replace(/([^\d.])(\d)/g, '$1.$2')
    .replace(/(\d)([^\d.])/g, '$1.$2')
    .split('.');
}

/** The special forms' order; a number stands between `rc` and `p`. */
const NUMBER_WEIGHT = 4;

function weight(part: string): number {
  if (part.startsWith('RC')) return 3;
  const specials = ['dev', 'a', 'b', 'rc', '#', 'p'];
  const index = specials.findIndex((special) => part.startsWith(special));
  return index === -1 ? 0 : index;
}

const DIGITS = /^\d+$/;

/** Whether a part reads as a machine-size integer (PHP's and Go's Atoi): a longer run of digits does not. */
function isSmallInteger(part: string): boolean {
  return DIGITS.test(part) && BigInt(part) <= 9223372036854775807n;
}

function compareParts(a: readonly string[], b: readonly string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const left = a[i]!;
    const right = b[i]!;
    const numericLeft = DIGITS.test(left);
    const numericRight = DIGITS.test(right);
    const order = numericLeft && numericRight ? compareDigits(left, right) : Math.sign((numericLeft ? NUMBER_WEIGHT : weight(left)) - (numericRight ? NUMBER_WEIGHT : weight(right)));
    if (order !== 0) return order;
  }
  if (a.length > b.length) return isSmallInteger(a[b.length]!) ? 1 : compareParts(a.slice(b.length), ['#']);
  if (a.length < b.length) return isSmallInteger(b[a.length]!) ? -1 : compareParts(['#'], b.slice(a.length));
  return 0;
}

export function comparePackagist(a: string, b: string): number {
  return compareParts(canonicalParts(a), canonicalParts(b));
}
