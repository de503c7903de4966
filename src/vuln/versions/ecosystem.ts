/**
 * Which version ordering an OSV ecosystem uses. Ecosystem strings may carry a release after a colon (`Debian:12`,
 * `Alpine:v3.19`, `Ubuntu:22.04:LTS`); the ordering depends only on the part before it.
 */
import { compareApk } from './apk.js';
import { compareDebian } from './dpkg.js';
import { compareGoEcosystem } from './go.js';
import { compareMaven } from './maven.js';
import { compareCran, compareHackage } from './numeric-lists.js';
import { compareNuGet, comparePub } from './nuget-pub.js';
import { comparePackagist } from './packagist.js';
import { comparePep440 } from './pep440.js';
import { compareRpm } from './rpm.js';
import { compareRubyGems } from './rubygems.js';
import { compareLenientSemver } from './semver.js';

export type VersionComparator = (a: string, b: string) => number;

const BY_ECOSYSTEM: ReadonlyMap<string, VersionComparator> = new Map<string, VersionComparator>([
  ['Debian', compareDebian],
  ['Ubuntu', compareDebian],
  ['Alpine', compareApk],
  ['Wolfi', compareApk],
  ['Chainguard', compareApk],
  ['Red Hat', compareRpm],
  ['AlmaLinux', compareRpm],
  ['Rocky Linux', compareRpm],
  ['SUSE', compareRpm],
  ['openSUSE', compareRpm],
  ['Mageia', compareRpm],
  ['openEuler', compareRpm],
  ['Azure Linux', compareRpm],
  ['PyPI', comparePep440],
  ['Maven', compareMaven],
  ['npm', compareLenientSemver],
  ['crates.io', compareLenientSemver],
  ['Hex', compareLenientSemver],
  ['Go', compareGoEcosystem],
  ['RubyGems', compareRubyGems],
  ['Packagist', comparePackagist],
  ['NuGet', compareNuGet],
  ['Pub', comparePub],
  ['Hackage', compareHackage],
  ['CRAN', compareCran],
]);

/** `Debian:12` → `Debian`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

/** The comparator for an ecosystem, or null when we do not order its versions (then only `versions` lists match). */
export function comparatorFor(ecosystem: string): VersionComparator | null {
  return BY_ECOSYSTEM.get(ecosystemBase(ecosystem)) ?? null;
}

export const SUPPORTED_ECOSYSTEMS: readonly string[] = [...BY_ECOSYSTEM.keys()];
