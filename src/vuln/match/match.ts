/**
 * Matching installed packages against advisories: each package is looked up by its own name and, for
 * distributions whose advisories name source packages (Debian and Ubuntu `Source:`, Alpine `origin`), by its
 * source name; each `affected[]` entry of the right ecosystem release is evaluated with the OSV range rules. One
 * match per package and advisory, carrying the advisory's aliases, severities (with the CVSS v3 base score
 * computed from the vector) and the fixed version on the package's branch.
 */
import type { InstalledPackage, SeverityScore, VulnerabilityMatch } from '../model.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from '../osv/record.js';
import { evaluateAffected } from '../osv/ranges.js';
import { ecosystemBase } from '../versions/ecosystem.js';
import type { AdvisoryIndex } from './advisory-index.js';
import { cvss3BaseScore } from './cvss.js';
import { comparableVersion, normalizeName, sameEcosystem } from './ecosystems.js';

/** The names an advisory may file a package under, each with the version to compare. */
function lookupNames(pkg: InstalledPackage): { name: string; version: string }[] {
  const names = [{ name: pkg.name, version: pkg.version }];
  if (pkg.sourceName && normalizeName(pkg.ecosystem, pkg.sourceName) !== normalizeName(pkg.ecosystem, pkg.name)) {
    names.push({ name: pkg.sourceName, version: pkg.sourceVersion ?? pkg.version });
  }
  // Go's toolchain and standard library are one advisory package, `stdlib`; binaries report versions as `go1.22.1`.
  if (ecosystemBase(pkg.ecosystem) === 'Go' && (pkg.name === 'go' || pkg.name === 'stdlib' || pkg.name === 'toolchain')) {
    const version = pkg.version.replace(/^go/, '');
    return [{ name: 'stdlib', version }, { name: 'toolchain', version }];
  }
  return names;
}

function severityScore(severity: OsvSeverity): SeverityScore {
  const score = severity.type === 'CVSS_V3' ? cvss3BaseScore(severity.score) : null;
  return { type: severity.type, vector: severity.score, score };
}

function severities(record: OsvRecord, affected: OsvAffected): SeverityScore[] {
  const all = [...(record.severity ?? []), ...(affected.severity ?? [])];
  const seen = new Set<string>();
  return all.filter((entry) => !seen.has(`${entry.type} ${entry.score}`) && seen.add(`${entry.type} ${entry.score}`)).map(severityScore);
}

/** The advisories that affect one package. */
export function matchPackage(pkg: InstalledPackage, index: AdvisoryIndex): VulnerabilityMatch[] {
  const found = new Map<string, VulnerabilityMatch>();
  for (const { name, version } of lookupNames(pkg)) {
    for (const { record, affected } of index.lookup(pkg.ecosystem, name)) {
      const previous = found.get(record.id);
      if (previous && previous.fixedVersion !== null) continue;
      const ecosystem = affected.package!.ecosystem;
      if (!sameEcosystem(ecosystem, pkg.ecosystem)) continue;
      const verdict = evaluateAffected(affected, ecosystem, comparableVersion(ecosystem, version, pkg.epoch));
      if (!verdict.affected) continue;
      if (previous && verdict.fixedVersion === null) continue;
      found.set(record.id, {
        package: pkg,
        id: record.id,
        aliases: record.aliases ?? [],
        summary: record.summary ?? null,
        severity: severities(record, affected),
        fixedVersion: verdict.fixedVersion,
      });
    }
  }
  return [...found.values()];
}

export function matchPackages(packages: Iterable<InstalledPackage>, index: AdvisoryIndex): VulnerabilityMatch[] {
  const matches: VulnerabilityMatch[] = [];
  for (const pkg of packages) matches.push(...matchPackage(pkg, index));
  return matches;
}
