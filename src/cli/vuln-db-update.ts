/**
 * `kubeharden vuln db update` when it runs: update the local OSV database (and the Kubernetes CVE feed) and print one line per ecosystem. Apart
 * from the flags (vuln-db-command.ts) so that start-up does not load the updater.
 */
import { defaultDatabaseDir } from '../vuln/db/database.js';
import { DEFAULT_SOURCES } from '../vuln/db/defaults.js';
import type { EcosystemUpdate } from '../vuln/db/database.js';
import { updateDatabase } from '../vuln/db/update.js';
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
