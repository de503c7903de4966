/**
 * `kubeharden vuln db update`: download OSV's per-ecosystem exports into the local advisory database that
 * `kubeharden vuln --db` reads. Registered under the `vuln` command group (which `vuln [PATH…]` also uses).
 */
import { Command } from 'commander';
import { defaultDatabaseDir } from '../vuln/db/database.js';
import { DEFAULT_BASE_URL, DEFAULT_ECOSYSTEMS, updateDatabase, type EcosystemUpdate } from '../vuln/db/update.js';
import { terminalText } from '../report/terminal-text.js';

export interface VulnDbUpdateOptions {
  db?: string;
  ecosystems?: string[];
  url: string;
}

function size(bytes: number): string {
  return bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

function line(update: EcosystemUpdate, width: number): string {
  const name = update.ecosystem.padEnd(width);
  if (update.status === 'failed') return `${name}  failed   ${terminalText(update.error)}`;
  const { meta } = update;
  const counts = `${meta.records.toLocaleString('en-US')} records (${meta.withdrawn} withdrawn, ${meta.invalid} invalid)`;
  return `${name}  ${update.status.padEnd(7)}  ${counts}, ${size(meta.bytes)}, ${meta.verified ? 'MD5 verified' : 'no MD5 announced, zip CRCs checked'}`;
}

/** Exit 0 when every ecosystem is updated or current, 1 when any failed (the others are still updated). */
export async function runVulnDbUpdate(options: VulnDbUpdateOptions): Promise<number> {
  const dir = options.db ?? defaultDatabaseDir();
  const ecosystems = options.ecosystems ? options.ecosystems.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean) : [...DEFAULT_ECOSYSTEMS];
  const results = await updateDatabase({ dir, ecosystems, baseUrl: options.url });
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
    .description('download OSV per-ecosystem exports (all.zip), verify them and store them in the database folder')
    .option('--db <dir>', 'database folder (default: $KUBEHARDEN_VULN_DB, else ~/.cache/kubeharden/osv)')
    .option('--ecosystems <list>', `OSV ecosystems, comma-separated or repeated (default: ${DEFAULT_ECOSYSTEMS.join(',')})`, (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--url <base>', 'where the exports are: BASE/<ecosystem>/all.zip', DEFAULT_BASE_URL)
    .action(async (options: VulnDbUpdateOptions) => {
      process.exitCode = await runVulnDbUpdate(options);
    });
}
