/**
 * `kubeharden vuln db update`: for each ecosystem, download OSV's `<base>/<ecosystem>/all.zip` beside the current
 * copy, verify it (the announced MD5, then every entry's CRC and every record against the OSV schema), and only
 * then move it into place with its `meta.json`. A failed ecosystem keeps its previous export; the others go on.
 * The name `kubernetes` stands for the Kubernetes CVE feed (kubernetes-feed.ts).
 */
import { mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOsvZip } from '../osv/load.js';
import { downloadToFile } from './download.js';
import { EXPORT_FILE, META_FILE, readMeta, type EcosystemMeta, type EcosystemUpdate } from './database.js';
import { KUBERNETES_SOURCE, updateKubernetesFeed, type KubernetesFeedOptions } from './kubernetes-feed.js';

export interface UpdateOptions {
  readonly dir: string;
  /** OSV ecosystems, and `kubernetes` for the Kubernetes CVE feed. */
  readonly ecosystems: readonly string[];
  readonly baseUrl: string;
  readonly kubernetes: Pick<KubernetesFeedOptions, 'feedUrl' | 'osvUrl'>;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly now?: () => Date;
}


/** A folder name for an ecosystem (`Red Hat` → `Red Hat`; path separators and dots at the start are refused). */
function folderName(ecosystem: string): string {
  if (ecosystem === '' || /[/\\\u0000]/.test(ecosystem) || ecosystem.startsWith('.')) throw new Error(`not an ecosystem name: ${JSON.stringify(ecosystem)}`);
  return ecosystem;
}

export async function updateEcosystem(ecosystem: string, options: UpdateOptions): Promise<EcosystemUpdate> {
  const now = options.now ?? (() => new Date());
  const url = `${options.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/${EXPORT_FILE}`;
  let partial: string | null = null;
  let folder: string | null = null;
  try {
    folder = join(options.dir, folderName(ecosystem));
    const target = join(folder, EXPORT_FILE);
    partial = `${target}.partial`;
    const previous = readMeta(folder);
    mkdirSync(folder, { recursive: true });
    const result = await downloadToFile(url, partial, {
      etag: previous?.etag ?? null,
      timeoutMs: options.timeoutMs ?? 10 * 60_000,
      maxBytes: options.maxBytes ?? 2 * 1024 ** 3,
    });
    if (result.status === 'not-modified' && previous) {
      const meta = { ...previous, updated: now().toISOString() };
      writeFileSync(join(folder, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
      return { ecosystem, status: 'current', meta };
    }
    if (result.status === 'not-modified') throw new Error(`${url}: 304 Not Modified, but there is no copy here`);
    // Reading every entry checks the zip's structure and CRCs; every record is validated against the schema.
    const loaded = await loadOsvZip(partial);
    if (loaded.records.length === 0 && loaded.withdrawn.length === 0) throw new Error(`${url}: the export holds no OSV records`);
    const meta: EcosystemMeta = {
      ecosystem,
      url: result.url,
      updated: now().toISOString(),
      bytes: result.bytes,
      md5: result.md5,
      verified: result.verified,
      etag: result.etag,
      records: loaded.records.length,
      withdrawn: loaded.withdrawn.length,
      invalid: loaded.problems.length,
    };
    renameSync(partial, target);
    writeFileSync(join(folder, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    return { ecosystem, status: 'updated', meta };
  } catch (error) {
    if (partial) rmSync(partial, { force: true });
    // A first download that failed leaves no empty folder behind (one with an earlier export stays).
    if (folder) rmEmptyFolder(folder);
    return { ecosystem, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}

function rmEmptyFolder(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // not empty, or never made
  }
}

export async function updateDatabase(options: UpdateOptions): Promise<EcosystemUpdate[]> {
  const results: EcosystemUpdate[] = [];
  for (const ecosystem of options.ecosystems) {
    results.push(
      ecosystem === KUBERNETES_SOURCE
        ? await updateKubernetesFeed({ dir: options.dir, ...options.kubernetes, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.now ? { now: options.now } : {}) })
        : await updateEcosystem(ecosystem, options),
    );
  }
  return results;
}
