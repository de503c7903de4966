/**
 * NuGet and Pub (Dart) versions: SemVer-like, each with a twist. NuGet has up to four numbers (`1.0.0.1`, missing
 * ones 0, leading zeros allowed), compares pre-release labels without regard to case and ignores build metadata.
 * Pub orders build metadata too: a build sorts after the same version without one (`1.0.0 < 1.0.0+build`, and
 * `1.0.0-pre < 1.0.0-pre+build < 1.0.0`), its identifiers compared like pre-release ones.
 */
import { compareText } from './numbers.js';
import { compareLenientSemver, compareParsedSemver, comparePrereleaseIds, parseLenientSemver } from './semver.js';

export function compareNuGet(a: string, b: string): number {
  return compareLenientSemver(a.toLowerCase(), b.toLowerCase());
}

function splitBuild(version: string): { release: string; build: string[] } {
  const plus = version.indexOf('+');
  return plus === -1 ? { release: version, build: [] } : { release: version.slice(0, plus), build: version.slice(plus + 1).split('.') };
}

export function comparePub(a: string, b: string): number {
  const left = splitBuild(a.trim());
  const right = splitBuild(b.trim());
  const parsedLeft = parseLenientSemver(left.release);
  const parsedRight = parseLenientSemver(right.release);
  if (!parsedLeft || !parsedRight) return parsedLeft || parsedRight ? (parsedLeft ? 1 : -1) : compareText(a, b);
  const byRelease = compareParsedSemver(parsedLeft, parsedRight);
  if (byRelease !== 0) return byRelease;
  const ids = Math.min(left.build.length, right.build.length);
  for (let i = 0; i < ids; i++) {
    const byId = comparePrereleaseIds(left.build[i]!, right.build[i]!);
    if (byId !== 0) return byId;
  }
  return Math.sign(left.build.length - right.build.length);
}
