/**
 * The local advisory database: one folder per OSV ecosystem holding that ecosystem's `all.zip` export as OSV
 * publishes it (or, for the Kubernetes CVE feed, a `records/` folder of its OSV records), and `meta.json` saying
 * where and when it came from and what it held when verified. Opening it
 * loads every export (validated record by record) into one index. `--db` may also name a single `all.zip`, or a
 * folder of OSV `*.json` records.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AdvisoryIndex } from '../match/advisory-index.js';
import { isKubernetesEcosystemProblem, KUBERNETES_ECOSYSTEM } from '../k8s/cves.js';
import { loadOsv, type LoadProblem } from '../osv/load.js';
import type { OsvRecord } from '../osv/record.js';

export const EXPORT_FILE = 'all.zip';
export const META_FILE = 'meta.json';
/** The folder of records fetched one by one (the Kubernetes CVE feed's OSV form), in place of an export. */
export const RECORDS_FOLDER = 'records';

/** What `vuln db update` records beside each export. */
export interface EcosystemMeta {
  readonly ecosystem: string;
  readonly url: string;
  /** ISO time of the download (or of the check that found it current). */
  readonly updated: string;
  readonly bytes: number;
  readonly md5: string;
  /** Whether the server announced an MD5 that the bytes matched. */
  readonly verified: boolean;
  readonly etag: string | null;
  readonly records: number;
  readonly withdrawn: number;
  readonly invalid: number;
  /** The Kubernetes CVE feed only: where the OSV records came from, how many CVEs the feed names, which have none yet. */
  readonly osvUrl?: string;
  readonly feedCves?: number;
  readonly withoutOsv?: readonly string[];
}

export type EcosystemUpdate =
  | { readonly ecosystem: string; readonly status: 'updated' | 'current'; readonly meta: EcosystemMeta }
  | { readonly ecosystem: string; readonly status: 'failed'; readonly error: string };

/** `$KUBEHARDEN_VULN_DB`, else `$XDG_CACHE_HOME/kubeharden/osv`, else `~/.cache/kubeharden/osv`. */
export function defaultDatabaseDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['KUBEHARDEN_VULN_DB']) return env['KUBEHARDEN_VULN_DB'];
  const cache = env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache');
  return join(cache, 'kubeharden', 'osv');
}

export function readMeta(folder: string): EcosystemMeta | null {
  try {
    return JSON.parse(readFileSync(join(folder, META_FILE), 'utf8')) as EcosystemMeta;
  } catch {
    return null;
  }
}

export interface OpenedDatabase {
  readonly index: AdvisoryIndex;
  /** The Kubernetes CVE feed's records (ecosystem `kubernetes`): matched against the cluster's components. */
  readonly kubernetes: OsvRecord[];
  /** The exports or folders read, in order. */
  readonly sources: string[];
  readonly problems: LoadProblem[];
  readonly withdrawn: number;
}

/** The sources a database path holds: per-ecosystem exports, one export, or a folder of records. */
function sourcesOf(path: string): string[] {
  if (!existsSync(path)) throw new Error(`${path}: no such advisory database (run \`kubeharden vuln db update\`)`);
  if (statSync(path).isFile()) return [path];
  // A source's folder holds an export (`all.zip`) or, for the Kubernetes feed, its records as files (`records/`).
  const exports = readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => [join(path, entry.name, EXPORT_FILE), join(path, entry.name, RECORDS_FOLDER)].filter((source) => existsSync(source)).slice(0, 1))
    .sort();
  return exports.length > 0 ? exports : [path];
}

/** Opens a database; its package records are added to `index` (a new one by default, or one shared by several). */
export async function openAdvisoryDatabase(path: string, index = new AdvisoryIndex()): Promise<OpenedDatabase> {
  const sources = sourcesOf(path);
  const problems: LoadProblem[] = [];
  const kubernetes: OsvRecord[] = [];
  let withdrawn = 0;
  for (const source of sources) {
    // The feed's `kubernetes` ecosystem is its only schema violation, accepted wherever its records are.
    const loaded = await loadOsv(source, { tolerate: (problem, value) => isKubernetesEcosystemProblem(problem.path, value) });
    for (const record of loaded.records) {
      if (record.affected?.some((affected) => affected.package?.ecosystem === KUBERNETES_ECOSYSTEM)) kubernetes.push(record);
      else index.add(record);
    }
    problems.push(...loaded.problems);
    withdrawn += loaded.withdrawn.length;
  }
  return { index, kubernetes, sources, problems, withdrawn };
}
