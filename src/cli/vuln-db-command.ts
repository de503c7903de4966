/**
 * `kubeharden vuln db update`: download OSV's per-ecosystem exports into the local advisory database that
 * `kubeharden vuln --db` reads. Registered under the `vuln` command group (which `vuln [PATH…]` also uses).
 */
import { Command } from 'commander';
import { defaultDatabaseDir } from '../vuln/db/database.js';
import type { EcosystemUpdate } from '../vuln/db/database.js';
import { DEFAULT_KUBERNETES_FEED_URL, DEFAULT_KUBERNETES_OSV_URL, KUBERNETES_SOURCE } from '../vuln/db/kubernetes-feed.js';
import { DEFAULT_BASE_URL, DEFAULT_SOURCES, updateDatabase } from '../vuln/db/update.js';
import { terminalText } from '../report/terminal-text.js';

export interface VulnDbUpdateOptions {
  db?: string;
  ecosystems?: string[];
  url: string;
  kubernetesFeed: string;
  kubernetesOsv: string;
}

function size(bytes: number): string {
  return bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

function line(update: EcosystemUpdate, width: number): string {
  const name = update.ecosystem.padEnd(width);
  if (update.status === 'failed') return `${name}  failed   ${terminalText(update.error)}`;
  const { meta } = update;
  const counts = `${meta.records.toLocaleString('en-US')} records (${meta.withdrawn} withdrawn, ${meta.invalid} invalid)`;
  if (meta.feedCves !== undefined) {
    const missing = meta.withoutOsv?.length ?? 0;
    return `${name}  ${update.status.padEnd(7)}  ${counts}; the feed (${size(meta.bytes)}) names ${meta.feedCves} CVEs, ${missing} without an OSV record yet${missing > 0 ? ` (${meta.withoutOsv!.join(', ')})` : ''}`;
  }
  return `${name}  ${update.status.padEnd(7)}  ${counts}, ${size(meta.bytes)}, ${meta.verified ? 'MD5 verified' : 'no MD5 announced, zip CRCs checked'}`;
}

/** Exit 0 when every ecosystem is updated or current, 1 when any failed (the others are still updated). */
export async function runVulnDbUpdate(options: VulnDbUpdateOptions): Promise<number> {
  const dir = options.db ?? defaultDatabaseDir();
  const ecosystems = options.ecosystems ? options.ecosystems.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean) : [...DEFAULT_SOURCES];
  const results = await updateDatabase({ dir, ecosystems, baseUrl: options.url, kubernetes: { feedUrl: options.kubernetesFeed, osvUrl: options.kubernetesOsv } });
  const width = Math.max(...ecosystems.map((ecosystem) => ecosystem.length));
  for (const result of results) process.stdout.write(`${line(result, width)}\n`);
  process.stdout.write(`database: ${terminalText(dir)}\n`);
  return results.some((result) => result.status === 'failed') ? 1 : 0;
}

/** Adds `db update` to the `vuln` command group, creating the group when nothing has yet. */
export function addVulnDbCommands(program: Command): void {
  const vuln = program.commands.find((command) => command.name() === 'vuln') ?? program.command('vuln').description('vulnerabilities of images, SBOMs and the cluster itself');
  const db = vuln.command('db').description('the local OSV advisory database');
  db.command('update')
    .description('download OSV per-ecosystem exports (all.zip) and the Kubernetes CVE feed, verify them and store them in the database folder')
    .option('--db <dir>', 'database folder (default: $KUBEHARDEN_VULN_DB, else ~/.cache/kubeharden/osv)')
    .option('--ecosystems <list>', `OSV ecosystems, and ${KUBERNETES_SOURCE} for the Kubernetes CVE feed; comma-separated or repeated (default: ${DEFAULT_SOURCES.join(',')})`, (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--url <base>', 'where the exports are: BASE/<ecosystem>/all.zip', DEFAULT_BASE_URL)
    .option('--kubernetes-feed <url>', 'the official Kubernetes CVE feed (JSON Feed): which CVEs there are', DEFAULT_KUBERNETES_FEED_URL)
    .option('--kubernetes-osv <base>', "where each CVE's OSV record is: BASE/<CVE>.json", DEFAULT_KUBERNETES_OSV_URL)
    .action(async (options: VulnDbUpdateOptions) => {
      process.exitCode = await runVulnDbUpdate(options);
    });
}
