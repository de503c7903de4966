/**
 * One kind of the cluster, kept current: listed in pages (the list's resourceVersion noted), then watched from that
 * version with bookmarks. A watch that ends is resumed from the last version seen; one the server refuses as too
 * old (410 Gone, after etcd compacted it) is replaced by a new list, whose difference with what was known becomes
 * the events; errors wait with exponential backoff. The owner hears every object added, changed and removed.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiClient } from '../cluster/api-client.js';
import { METADATA_ONLY, parseObject, PAGE_SIZE, withTypes } from '../cluster/lister.js';
import { listPath, type ListedKind } from '../cluster/resource-kinds.js';
import { isRecord } from '../util/object.js';

/** What a kind's watch tells its owner. */
export interface KindListener {
  /** The whole kind as one list returned it: objects not in it are gone. Called after the first list and each relist. */
  replaced(kind: ListedKind, objects: Record<string, unknown>[]): void;
  changed(kind: ListedKind, object: Record<string, unknown>): void;
  removed(kind: ListedKind, object: Record<string, unknown>): void;
  /** The kind could not be read at the first attempt (denied, failed) or is not served. */
  unavailable?(kind: ListedKind, status: 'not-served' | 'denied' | 'failed', reason: string): void;
  /** A problem that the watch recovers from by itself (logged, counted). */
  trouble?(kind: ListedKind, message: string): void;
}

export interface KindWatchOptions {
  /** First wait after an error; doubled each time up to maxBackoffMs, reset once a watch delivers. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long the server keeps one watch open before it ends it and the watch is resumed (seconds). */
  readonly watchSeconds?: number;
}

/** The watch of a metadata-only kind (Secrets) asks for PartialObjectMetadata, as its list does. */
const WATCH_METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1';

class GoneError extends Error {}

export class KindWatch {
  /** The resourceVersion to resume from; undefined before the first list. */
  resourceVersion: string | undefined;
  /** When the server last said something on this kind's watch (an event or a bookmark), ms since the epoch. */
  lastHeard = 0;
  /** Lists made after the first, because the server answered 410 Gone. */
  relists = 0;
  /** The first list is done (or the kind turned out to be unavailable). */
  synced = false;
  private stopped = false;
  private current: IncomingMessage | undefined;
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | undefined;

  constructor(
    private readonly client: ApiClient,
    readonly kind: ListedKind,
    private readonly listener: KindListener,
    private readonly options: KindWatchOptions = {},
  ) {}

  /** Lists, then watches until stop(); resolves once stopped. `onSynced` fires after the first list. */
  async run(onSynced: () => void): Promise<void> {
    let backoff = this.options.minBackoffMs ?? 500;
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    let first = true;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) {
          const listed = await this.list(first);
          if (listed === 'unavailable') {
            this.synced = true;
            onSynced();
            return;
          }
          if (first) {
            first = false;
            this.synced = true;
            onSynced();
          }
        }
        await this.watchOnce();
        backoff = this.options.minBackoffMs ?? 500;
      } catch (error) {
        if (this.stopped) break;
        if (error instanceof GoneError) {
          // Too old to resume: the next turn lists again and tells the difference.
          this.resourceVersion = undefined;
          this.relists++;
          continue;
        }
        this.listener.trouble?.(this.kind, (error as Error).message);
        await this.sleep(backoff);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.current?.destroy();
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.sleeping = undefined;
        resolve();
      };
      this.sleeping = { timer: setTimeout(wake, ms), wake };
    });
  }

  /** Every page of the kind; the list's resourceVersion is where the watch starts. */
  private async list(first: boolean): Promise<'listed' | 'unavailable'> {
    const path = listPath(this.kind, undefined);
    const accept = this.kind.metadataOnly ? METADATA_ONLY : 'application/json';
    const objects: Record<string, unknown>[] = [];
    let token: string | undefined;
    let version: string | undefined;
    for (let pages = 0; ; pages++) {
      if (pages >= this.client.maxListPages) throw new Error(`listing ${this.kind.plural} stopped after ${this.client.maxListPages} pages (--max-list-pages)`);
      const response = await this.client.get(`${path}?limit=${PAGE_SIZE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`, accept);
      const body = parseObject(response.body) ?? {};
      if (first && pages === 0 && response.status !== 200) {
        const message = typeof body['message'] === 'string' ? body['message'].slice(0, 500) : `HTTP ${response.status}`;
        if (response.status === 404 && this.kind.optional) return this.unavailable('not-served', 'not served');
        if (response.status === 401 || response.status === 403) return this.unavailable('denied', `${response.status === 403 ? 'forbidden' : 'unauthorized'}: ${message}`);
        return this.unavailable('failed', `HTTP ${response.status}: ${message}`);
      }
      // An expired continue token: start the list again.
      if (response.status === 410) throw new GoneError();
      if (response.status !== 200 || !Array.isArray(body['items']) && body['items'] !== null) throw new Error(`listing ${this.kind.plural}: HTTP ${response.status}`);
      const metadata = isRecord(body['metadata']) ? body['metadata'] : {};
      if (pages === 0 && typeof metadata['resourceVersion'] === 'string') version = metadata['resourceVersion'];
      const items = Array.isArray(body['items']) ? body['items'].filter(isRecord) : [];
      objects.push(...withTypes(items, this.kind));
      token = typeof metadata['continue'] === 'string' && metadata['continue'] !== '' ? metadata['continue'] : undefined;
      if (!token) break;
    }
    if (version === undefined) throw new Error(`listing ${this.kind.plural}: the answer has no resourceVersion`);
    this.resourceVersion = version;
    this.lastHeard = Date.now();
    this.listener.replaced(this.kind, objects);
    return 'listed';
  }

  private unavailable(status: 'not-served' | 'denied' | 'failed', reason: string): 'unavailable' {
    this.listener.unavailable?.(this.kind, status, reason);
    return 'unavailable';
  }

  /** One watch from the current resourceVersion, until the server ends it (or 410 Gone, or an error). */
  private async watchOnce(): Promise<void> {
    const seconds = this.options.watchSeconds ?? 300;
    const path = `${listPath(this.kind, undefined)}?watch=1&allowWatchBookmarks=true&timeoutSeconds=${seconds}&resourceVersion=${encodeURIComponent(this.resourceVersion ?? '')}`;
    const response = await this.client.stream(path, this.kind.metadataOnly ? WATCH_METADATA_ONLY : 'application/json');
    this.current = response;
    try {
      if (response.statusCode === 410) throw new GoneError();
      if (response.statusCode !== 200) throw new Error(`watching ${this.kind.plural}: HTTP ${response.statusCode}: ${(await bodyText(response)).slice(0, 300)}`);
      let pending = '';
      for await (const chunk of response as AsyncIterable<Buffer>) {
        pending += chunk.toString('utf8');
        let newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line.trim() !== '') this.event(line);
        }
      }
    } finally {
      this.current = undefined;
      response.destroy();
    }
  }

  private event(line: string): void {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      throw new Error(`watching ${this.kind.plural}: an event that is not JSON`);
    }
    if (!isRecord(event) || !isRecord(event['object'])) throw new Error(`watching ${this.kind.plural}: an event without an object`);
    const object = event['object'];
    this.lastHeard = Date.now();
    if (event['type'] === 'ERROR') {
      if (object['code'] === 410) throw new GoneError();
      throw new Error(`watching ${this.kind.plural}: ${String(object['message'] ?? 'error event')}`);
    }
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    if (typeof metadata['resourceVersion'] === 'string') this.resourceVersion = metadata['resourceVersion'];
    if (event['type'] === 'BOOKMARK') return;
    const [typed] = withTypes([object], this.kind) as [Record<string, unknown>];
    if (event['type'] === 'DELETED') this.listener.removed(this.kind, typed);
    else this.listener.changed(this.kind, typed);
  }
}

async function bodyText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
