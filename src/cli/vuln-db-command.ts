/**
 * `kubeharden vuln db update`: download OSV's per-ecosystem exports into the local advisory database that
 * `kubeharden vuln --db` reads. Registered under the `vuln` command group (which `vuln [PATH…]` also uses); its code
 * (vuln-db-update.ts) loads when it runs.
 */
import type { Command } from 'commander';
import { DEFAULT_BASE_URL, DEFAULT_KUBERNETES_FEED_URL, DEFAULT_KUBERNETES_OSV_URL, DEFAULT_SOURCES, KUBERNETES_SOURCE } from '../vuln/db/defaults.js';
import type { VulnDbUpdateOptions } from './vuln-db-update.js';

/** Adds `db update` to the `vuln` command group, creating the group when nothing has yet. */
export function addVulnDbCommands(program: Command): void {
  const vuln = program.commands.find((command) => command.name() === 'vuln') ?? program.command('vuln').description('vulnerabilities of images, SBOMs and the cluster itself');
  const db = vuln.command('db').description('the local OSV advisory database');
  db.command('update')
    .description('download OSV per-ecosystem exports (all.zip) and the Kubernetes CVE feed, verify them and store them in the database folder')
    .option('--db <dir>', 'database folder (default: $KUBEHARDEN_VULN_DB, else $XDG_CACHE_HOME/kubeharden/osv or ~/.cache/kubeharden/osv)')
    .option('--ecosystems <list>', `OSV ecosystems, and ${KUBERNETES_SOURCE} for the Kubernetes CVE feed; comma-separated or repeated (default: ${DEFAULT_SOURCES.join(',')})`, (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--url <base>', 'where the exports are: BASE/<ecosystem>/all.zip', DEFAULT_BASE_URL)
    .option('--kubernetes-feed <url>', 'the official Kubernetes CVE feed (JSON Feed): which CVEs there are', DEFAULT_KUBERNETES_FEED_URL)
    .option('--kubernetes-osv <base>', "where each CVE's OSV record is: BASE/<CVE>.json", DEFAULT_KUBERNETES_OSV_URL)
    .action(async (options: VulnDbUpdateOptions) => {
      process.exitCode = await (await import('./vuln-db-update.js')).runVulnDbUpdate(options);
    });
}
