/**
 * Advisory matching at scale: 10,000 installed packages against 100,000 OSV records. The records are made from the
 * real ones in ../shared/vuln/advisories (Go, PyPI, Maven, npm, Debian, Alpine, Ubuntu: their ranges, versions
 * lists and severities kept, package names varied so about 40,000 packages have advisories), the packages from
 * the same names at versions taken from the records' own events, so matching does real range work. Timed: index
 * build and matching (median of the runs, and the first run alone), with the process's peak RSS and the heap after
 * matching.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { AdvisoryIndex } from '../src/vuln/match/advisory-index.js';
import { matchPackages } from '../src/vuln/match/match.js';
import type { InstalledPackage } from '../src/vuln/model.js';
import { loadOsvDirectory } from '../src/vuln/osv/load.js';
import type { OsvRecord } from '../src/vuln/osv/record.js';

const RELEASES: Readonly<Record<string, string>> = { Debian: 'Debian:9', Alpine: 'Alpine:v3.17', Ubuntu: 'Ubuntu:22.04' };

function syntheticRecords(templates: readonly OsvRecord[], count: number, names: number): OsvRecord[] {
  const records: OsvRecord[] = [];
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length]!;
    const suffix = `-${i % names}`;
    records.push({
      ...template,
      id: `SYN-${i}`,
      affected: (template.affected ?? []).map((affected) => (affected.package ? { ...affected, package: { ...affected.package, name: `${affected.package.name}${suffix}` } } : affected)),
    });
  }
  return records;
}

function versionsOf(record: OsvRecord): string[] {
  const versions: string[] = [];
  for (const affected of record.affected ?? []) {
    versions.push(...(affected.versions ?? []).slice(0, 3));
    for (const range of affected.ranges ?? []) for (const event of range.events) versions.push(...Object.values(event).filter((value) => value !== '0'));
  }
  return versions;
}

function syntheticPackages(records: readonly OsvRecord[], count: number): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  const step = Math.floor(records.length / count);
  for (let j = 0; j < count; j++) {
    const record = records[j * step]!;
    const affected = record.affected?.find((entry) => entry.package)?.package;
    if (!affected) continue;
    const versions = versionsOf(record);
    const base = affected.ecosystem.split(':')[0]!;
    packages.push({ ecosystem: RELEASES[base] ?? affected.ecosystem, name: affected.name, version: versions[j % Math.max(versions.length, 1)] ?? '1.0.0' });
  }
  return packages;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export async function benchVulnMatch(sharedRoot: string, options: { records: number; packages: number; runs: number }): Promise<void> {
  const loaded = await loadOsvDirectory(join(sharedRoot, 'vuln', 'advisories'));
  const templates = loaded.records.filter((record) => (record.affected ?? []).some((affected) => affected.package));
  const records = syntheticRecords(templates, options.records, Math.floor(options.records / 2.5));
  const packages = syntheticPackages(records, options.packages);
  console.log(`vuln matching · Node ${process.version} · ${records.length.toLocaleString('en-US')} records (from ${templates.length} real ones) · ${packages.length.toLocaleString('en-US')} packages · ${options.runs} runs (median)`);
  const indexTimes: number[] = [];
  const matchTimes: number[] = [];
  let found = 0;
  let heapMb = 0;
  for (let run = 0; run < options.runs; run++) {
    globalThis.gc?.();
    const started = performance.now();
    const index = new AdvisoryIndex(records);
    const indexed = performance.now();
    const matches = matchPackages(packages, index);
    const matched = performance.now();
    indexTimes.push((indexed - started) / 1000);
    matchTimes.push((matched - indexed) / 1000);
    found = matches.length;
    heapMb = Math.max(heapMb, process.memoryUsage().heapUsed / 1024 ** 2);
  }
  const matchSeconds = median(matchTimes);
  // The first run also sorts every range's events once (kept for the records' lifetime); later runs reuse that.
  console.log('index s  first match s  match s  packages/s  matches  heap after MB  peak RSS MB');
  console.log(
    [
      median(indexTimes).toFixed(3).padEnd(7),
      matchTimes[0]!.toFixed(3).padEnd(13),
      matchSeconds.toFixed(3).padEnd(7),
      Math.round(packages.length / matchSeconds).toLocaleString('en-US').padEnd(10),
      String(found).padEnd(7),
      heapMb.toFixed(0).padEnd(13),
      (process.resourceUsage().maxRSS / 1024).toFixed(0),
    ].join('  '),
  );
}
