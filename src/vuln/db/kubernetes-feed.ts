/**
 * `vuln db update` for the Kubernetes CVEs: the official feed (a JSON Feed 1.1 whose items are the kubernetes/
 * kubernetes issues labelled `official-cve-feed`, ids like `CVE-2023-2727, CVE-2023-2728`) says which CVEs there
 * are; each one's OSV form comes from kubernetes-sigs/cve-feed-osv (`<base>/<CVE>.json`, the URL the OSV schema
 * lists for the feed), since the feed's own text has no structured version ranges. A CVE the OSV form does not have
 * yet (404) is listed, not a failure. Everything is fetched beside the current copy and validated, then swapped in;
 * any failure keeps the previous copy.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKubernetesEcosystemProblem } from '../k8s/cves.js';
import { loadOsvDirectory } from '../osv/load.js';
import { META_FILE, readMeta, RECORDS_FOLDER, type EcosystemMeta, type EcosystemUpdate } from './database.js';
import { downloadToFile, HttpStatusError } from './download.js';

/** The name `vuln db update --ecosystems` knows the feed by, and its folder in the database. */
import { KUBERNETES_SOURCE } from './defaults.js';
export { DEFAULT_KUBERNETES_FEED_URL, DEFAULT_KUBERNETES_OSV_URL, KUBERNETES_SOURCE } from './defaults.js';

const FEED_FILE = 'feed.json';
const MAX_FEED_BYTES = 64 * 1024 * 1024;
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export interface KubernetesFeedOptions {
  readonly dir: string;
  readonly feedUrl: string;
  readonly osvUrl: string;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** The CVE ids of the feed's items (an item may name several, comma-separated), in feed order, once each. */
export function feedCveIds(text: string): string[] {
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch (error) {
    throw new Error(`the feed is not JSON: ${(error as Error).message}`);
  }
  const { version, items } = (feed ?? {}) as { version?: unknown; items?: unknown };
  if (typeof version !== 'string' || !version.startsWith('https://jsonfeed.org/version/') || !Array.isArray(items)) {
    throw new Error('not a JSON Feed (no "version": "https://jsonfeed.org/version/…" and "items")');
  }
  const ids = items.flatMap((item) => String((item as { id?: unknown } | null)?.id ?? '').split(',')).map((id) => id.trim());
  return [...new Set(ids.filter((id) => /^CVE-\d{4}-\d{4,}$/.test(id)))];
}

function swapInto(target: string, fresh: string): void {
  const old = `${target}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
}

export async function updateKubernetesFeed(options: KubernetesFeedOptions): Promise<EcosystemUpdate> {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const folder = join(options.dir, KUBERNETES_SOURCE);
  const partialFeed = join(folder, `${FEED_FILE}.partial`);
  const partialRecords = join(folder, `${RECORDS_FOLDER}.partial`);
  const hadFolder = existsSync(folder);
  try {
    const previous = readMeta(folder);
    mkdirSync(folder, { recursive: true });
    const fetched = await downloadToFile(options.feedUrl, partialFeed, { etag: previous?.etag ?? null, timeoutMs, maxBytes: MAX_FEED_BYTES });
    if (fetched.status === 'not-modified' && previous && existsSync(join(folder, RECORDS_FOLDER))) {
      const meta = { ...previous, updated: now().toISOString() };
      writeFileSync(join(folder, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
      return { ecosystem: KUBERNETES_SOURCE, status: 'current', meta };
    }
    if (fetched.status === 'not-modified') throw new Error(`${options.feedUrl}: 304 Not Modified, but there is no copy here`);
    const ids = feedCveIds(readFileSync(partialFeed, 'utf8'));
    if (ids.length === 0) throw new Error(`${fetched.url}: the feed names no CVE`);
    rmSync(partialRecords, { recursive: true, force: true });
    mkdirSync(partialRecords);
    const withoutOsv: string[] = [];
    for (const id of ids) {
      const url = `${options.osvUrl.replace(/\/+$/, '')}/${id}.json`;
      try {
        await downloadToFile(url, join(partialRecords, `${id}.json`), { timeoutMs, maxBytes: MAX_RECORD_BYTES });
      } catch (error) {
        if (!(error instanceof HttpStatusError && error.status === 404)) throw error;
        rmSync(join(partialRecords, `${id}.json`), { force: true });
        withoutOsv.push(id);
      }
    }
    const loaded = await loadOsvDirectory(partialRecords, { tolerate: (problem, value) => isKubernetesEcosystemProblem(problem.path, value) });
    if (loaded.records.length === 0 && loaded.withdrawn.length === 0) throw new Error(`${options.osvUrl}: none of the feed's ${ids.length} CVEs has an OSV record`);
    const meta: EcosystemMeta = {
      ecosystem: KUBERNETES_SOURCE,
      url: fetched.url,
      updated: now().toISOString(),
      bytes: fetched.bytes,
      md5: fetched.md5,
      verified: fetched.verified,
      etag: fetched.etag,
      records: loaded.records.length,
      withdrawn: loaded.withdrawn.length,
      invalid: loaded.problems.length,
      osvUrl: options.osvUrl,
      feedCves: ids.length,
      withoutOsv,
    };
    swapInto(join(folder, RECORDS_FOLDER), partialRecords);
    renameSync(partialFeed, join(folder, FEED_FILE));
    writeFileSync(join(folder, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    return { ecosystem: KUBERNETES_SOURCE, status: 'updated', meta };
  } catch (error) {
    rmSync(partialFeed, { force: true });
    rmSync(partialRecords, { recursive: true, force: true });
    if (!hadFolder) rmSync(folder, { recursive: true, force: true });
    return { ecosystem: KUBERNETES_SOURCE, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
