/**
 * Semantic Versioning 2.0.0 (semver.org): `MAJOR.MINOR.PATCH[-prerelease][+build]`. Build metadata is ignored; a
 * pre-release sorts below its release; pre-release identifiers compare numerically when all digits (and below
 * alphanumeric ones), otherwise in ASCII order, and a shorter list of equal identifiers sorts first.
 *
 * OSV `SEMVER` ranges use the strict grammar (with node-semver's default leniency: surrounding blanks and a leading
 * `v` are allowed). The npm, crates.io and Hex ecosystems get the lenient reading that osv-scanner uses: a leading
 * `v` (or `=` and blanks, as node-semver's loose mode), any number of dot-separated numbers (missing ones are 0),
 * leading zeros, a pre-release glued on without `-` (`2.0.0rc2`).
 */
import { compareDigits, compareText } from './numbers.js';

export interface SemVer {
  /** Numeric components, as digit strings (compared without a size limit). */
  readonly core: readonly string[];
  readonly prerelease: readonly string[];
}

/** A number without leading zeros, and a pre-release identifier (numeric ones without leading zeros), as regex text. */
export const NUMBER = '(?:0|[1-9]\\d*)';
export const PRERELEASE_ID = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const STRICT = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$`,
);
const LENIENT = /^[v=\s]*(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]*)|([A-Za-z][0-9A-Za-z.-]*))?(?:\+.*)?$/;

export function parseStrictSemver(text: string): SemVer | null {
  const match = STRICT.exec(text.trim());
  if (!match) return null;
  return { core: [match[1]!, match[2]!, match[3]!], prerelease: match[4] === undefined ? [] : match[4].split('.') };
}

export function parseLenientSemver(text: string): SemVer | null {
  const match = LENIENT.exec(text.trim());
  if (!match) return null;
  const prerelease = match[2] ?? match[3] ?? '';
  return { core: match[1]!.split('.'), prerelease: prerelease === '' ? [] : prerelease.split('.') };
}

const ALL_DIGITS = /^\d+$/;

/** Two pre-release (or build) identifiers: numbers numerically and below words, words in ASCII order. */
export function comparePrereleaseIds(a: string, b: string): number {
  const numericA = ALL_DIGITS.test(a);
  const numericB = ALL_DIGITS.test(b);
  if (numericA && numericB) return compareDigits(a, b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  return compareText(a, b);
}

export function compareParsedSemver(a: SemVer, b: SemVer): number {
  const length = Math.max(a.core.length, b.core.length);
  for (let i = 0; i < length; i++) {
    const byNumber = compareDigits(a.core[i] ?? '0', b.core[i] ?? '0');
    if (byNumber !== 0) return byNumber;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  const ids = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < ids; i++) {
    const byId = comparePrereleaseIds(a.prerelease[i]!, b.prerelease[i]!);
    if (byId !== 0) return byId;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

/** Orders unparsable versions below every parsable one, and among themselves as text, so sorting stays total. */
function compareWith(parse: (text: string) => SemVer | null, a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  if (left && right) return compareParsedSemver(left, right);
  if (left || right) return left ? 1 : -1;
  return compareText(a, b);
}

export function compareStrictSemver(a: string, b: string): number {
  return compareWith(parseStrictSemver, a, b);
}

export function compareLenientSemver(a: string, b: string): number {
  return compareWith(parseLenientSemver, a, b);
}
