/**
 * Go module versions as golang.org/x/mod/semver orders them: `vMAJOR[.MINOR[.PATCH[-pre][+build]]]`, where the
 * shorthands `v1` and `v1.2` (= v1.0.0, v1.2.0) take no pre-release or build, numbers have no leading zeros, and
 * every invalid string is equal to every other and below every valid one. Pseudo-versions
 * (`v0.0.0-20220412211240-33da011f77ad`) are ordinary pre-releases.
 *
 * OSV's `Go` ecosystem writes versions without the `v`; `compareGoEcosystem` adds it, and orders versions Go
 * would reject by the lenient SemVer reading rather than calling them all equal.
 */
import { compareLenientSemver, compareParsedSemver, NUMBER, PRERELEASE_ID, type SemVer } from './semver.js';

const GO_SEMVER = new RegExp(
  `^v(${NUMBER})(?:\\.(${NUMBER})(?:\\.(${NUMBER})(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?)?)?$`,
);

export function parseGoSemver(text: string): SemVer | null {
  const match = GO_SEMVER.exec(text);
  if (!match) return null;
  return { core: [match[1]!, match[2] ?? '0', match[3] ?? '0'], prerelease: match[4] === undefined ? [] : match[4].split('.') };
}

/** `semver.Canonical`: `v1.2.3[-pre]` without build metadata, or '' for an invalid version. */
export function canonicalGoSemver(text: string): string {
  const parsed = parseGoSemver(text);
  if (!parsed) return '';
  return `v${parsed.core.join('.')}${parsed.prerelease.length > 0 ? `-${parsed.prerelease.join('.')}` : ''}`;
}

/** `semver.Compare` of golang.org/x/mod. */
export function compareGoSemver(a: string, b: string): number {
  const left = parseGoSemver(a);
  const right = parseGoSemver(b);
  if (left && right) return compareParsedSemver(left, right);
  if (left || right) return left ? 1 : -1;
  return 0;
}

const withV = (version: string): string => (version.startsWith('v') ? version : `v${version}`);

export function compareGoEcosystem(a: string, b: string): number {
  const left = parseGoSemver(withV(a));
  const right = parseGoSemver(withV(b));
  if (left && right) return compareParsedSemver(left, right);
  return compareLenientSemver(a, b);
}
