/**
 * How a package's ecosystem and name meet an advisory's. Ecosystems carry a release after a colon in OSV
 * (`Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`, `Red Hat:enterprise_linux:9::appstream`); a record applies to a
 * package when the base ecosystems are equal and the releases name the same release, compared as each
 * distribution numbers them (Alpine by major.minor, Debian by major, Ubuntu by YY.MM). When either side has no
 * release, the base decides.
 */
import { ecosystemBase } from '../versions/ecosystem.js';

function releaseOf(ecosystem: string): string | null {
  const colon = ecosystem.indexOf(':');
  return colon === -1 || colon === ecosystem.length - 1 ? null : ecosystem.slice(colon + 1);
}

/** The part of a release string that tells releases apart, per distribution. */
function releaseKey(base: string, release: string): string {
  switch (base) {
    case 'Alpine':
      return release.replace(/^v/, '').split('.').slice(0, 2).join('.');
    case 'Debian':
      return release.split('.')[0]!;
    case 'Ubuntu':
      return /\d+\.\d+/.exec(release)?.[0] ?? release;
    case 'Red Hat':
    case 'AlmaLinux':
    case 'Rocky Linux':
      // `enterprise_linux:9::baseos` or `9`, `AlmaLinux:9`: the major release.
      return /(?:^|:)(\d+)/.exec(release)?.[1] ?? release;
    default:
      return release;
  }
}

export function sameEcosystem(recordEcosystem: string, packageEcosystem: string): boolean {
  const base = ecosystemBase(recordEcosystem);
  if (base !== ecosystemBase(packageEcosystem)) return false;
  const recordRelease = releaseOf(recordEcosystem);
  const packageRelease = releaseOf(packageEcosystem);
  if (recordRelease === null || packageRelease === null) return true;
  return releaseKey(base, recordRelease) === releaseKey(base, packageRelease);
}

/** Names as the ecosystem compares them: PyPI's are case- and separator-insensitive (PEP 503). */
export function normalizeName(ecosystem: string, name: string): string {
  return ecosystemBase(ecosystem) === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/** Ecosystems whose advisories write rpm epochs into versions (`1:5.1-7`). */
const EPOCH_ECOSYSTEMS = new Set(['Red Hat', 'AlmaLinux', 'Rocky Linux']);

/** The version to compare for a package: the rpm epoch prepended where the ecosystem's advisories write it. */
export function comparableVersion(ecosystem: string, version: string, epoch: number | undefined): string {
  if (epoch === undefined || epoch === 0 || !EPOCH_ECOSYSTEMS.has(ecosystemBase(ecosystem)) || /^\d+:/.test(version)) return version;
  return `${epoch}:${version}`;
}
