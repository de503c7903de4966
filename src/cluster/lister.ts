import { createHash } from 'node:crypto';
import { isRecord } from '../util/object.js';
import type { ApiClient, ApiResponse } from './api-client.js';
import { ResponseTooLargeError } from './transport.js';
import { listPath, type ListedKind } from './resource-kinds.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Objects per list request: the API server's usual page size, so 10,000 pods cost 20 requests. */
export const PAGE_SIZE = 500;

export const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1';

export type ListOutcome =
  | { readonly status: 'listed'; readonly first: Record<string, unknown>[]; readonly next: (() => AsyncGenerator<Record<string, unknown>[]>) }
  | { readonly status: 'not-served' }
  | { readonly status: 'denied' | 'failed'; readonly reason: string };

/**
 * The first page of a kind, and a generator for the rest. Separating the first page tells, before any object is
 * judged, which kinds the credentials may list.
 */
export async function startList(client: ApiClient, kind: ListedKind, namespace: string | undefined): Promise<ListOutcome> {
  const path = listPath(kind, namespace);
  const accept = kind.metadataOnly ? METADATA_ONLY : 'application/json';
  // One page size per list: it shrinks when a page of big objects is larger than the answer cap.
  const size = { limit: PAGE_SIZE };
  let page;
  try {
    page = await fetchPage(client, path, accept, undefined, size);
  } catch (error) {
    return { status: 'failed', reason: (error as Error).message };
  }
  if (page.status === 404 && kind.optional) return { status: 'not-served' };
  if (page.status === 401 || page.status === 403) return { status: 'denied', reason: `${page.status === 403 ? 'forbidden' : 'unauthorized'}: ${page.message}` };
  if (page.status !== 200) return { status: 'failed', reason: `HTTP ${page.status}: ${page.message}` };
  const first = withTypes(page.items, kind);
  const listed = new Set(first.map(identity));
  let token = page.continueToken;
  return {
    status: 'listed',
    first,
    next: async function* () {
      // Bounded: a server (or proxy) may repeat a token, or hand out new ones forever.
      const tokens = new Set<string>();
      let pages = 1;
      let relists = 0;
      while (token) {
        const digest = createHash('sha256').update(token).digest('base64');
        if (tokens.has(digest)) throw new Error(`listing ${kind.plural} stopped: the server sent the same continue token twice (after ${pages} pages)`);
        tokens.add(digest);
        if (pages >= client.maxListPages) throw new Error(`listing ${kind.plural} stopped after ${client.maxListPages} pages (--max-list-pages)`);
        let more = await fetchPage(client, path, accept, token, size);
        pages++;
        if (more.status === 410 && relists < MAX_RELISTS) {
          // The continue token expired (etcd compacted its revision): list again from the start, and pass on
          // only the objects not seen yet, so nothing is judged twice.
          relists++;
          tokens.clear();
          more = await fetchPage(client, path, accept, undefined, size);
          pages++;
        }
        if (more.status !== 200) throw new Error(`listing ${kind.plural} stopped: HTTP ${more.status}: ${more.message}`);
        token = more.continueToken;
        yield withTypes(more.items, kind).filter((item) => {
          const key = identity(item);
          if (listed.has(key)) return false;
          listed.add(key);
          return true;
        });
      }
    },
  };
}

/** Every object of a listed kind, page after page; a list that fails part way keeps what came before, and says why. */
export async function allPages(outcome: Extract<ListOutcome, { status: 'listed' }>): Promise<{ objects: Record<string, unknown>[]; stoppedBecause?: string }> {
  const objects = [...outcome.first];
  try {
    for await (const page of outcome.next()) objects.push(...page);
  } catch (error) {
    return { objects, stoppedBecause: (error as Error).message };
  }
  return { objects };
}

/** Lists started over after an expired continue token (HTTP 410) before giving up. */
export const MAX_RELISTS = 3;

/** An object's uid, or its namespace and name when it has none: what makes a relisted object the same object. */
function identity(item: Record<string, unknown>): string {
  const metadata = isRecord(item['metadata']) ? item['metadata'] : {};
  if (typeof metadata['uid'] === 'string' && metadata['uid'] !== '') return metadata['uid'];
  return `${String(metadata['namespace'] ?? '')}/${String(metadata['name'] ?? '')}`;
}

interface Page {
  readonly status: number;
  readonly items: Record<string, unknown>[];
  readonly continueToken: string | undefined;
  readonly message: string;
}

/** Longest server message kept for a report (a hostile server may send megabytes). */
const MAX_MESSAGE_LENGTH = 500;

/**
 * One page. When it is larger than --max-response-size (500 ConfigMaps of 200 KB are 100 MB), the same page is
 * asked again with a tenth of the limit, down to one object (at most 1.5 MiB in etcd).
 */
async function fetchPage(client: ApiClient, path: string, accept: string, token: string | undefined, size: { limit: number }): Promise<Page> {
  for (;;) {
    const query = `?limit=${size.limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    try {
      return parsePage(await client.get(`${path}${query}`, accept));
    } catch (error) {
      if (!(error instanceof ResponseTooLargeError) || size.limit === 1) throw error;
      size.limit = Math.max(1, Math.floor(size.limit / 10));
    }
  }
}

function parsePage(response: ApiResponse): Page {
  // A non-JSON answer (a proxy's error page) is reported by its status below.
  const body = parseObject(response.body) ?? {};
  const metadata = isRecord(body['metadata']) ? body['metadata'] : {};
  // A 200 that is not a list (a proxy's login page) must not pass as an empty kind. An empty
  // PartialObjectMetadataList says `"items": null`.
  const isList = Array.isArray(body['items']) || (body['items'] === null && typeof body['kind'] === 'string' && body['kind'].endsWith('List'));
  const status = response.status === 200 && !isList ? 502 : response.status;
  const continueToken = typeof metadata['continue'] === 'string' && metadata['continue'] !== '' ? metadata['continue'] : undefined;
  return {
    status,
    items: Array.isArray(body['items']) ? body['items'].filter(isRecord) : [],
    continueToken,
    message: (typeof body['message'] === 'string' ? body['message'] : status !== response.status ? 'the answer is not a list' : response.body.toString('utf8')).slice(0, MAX_MESSAGE_LENGTH),
  };
}

/** List items carry no apiVersion and kind of their own; the controls need them. managedFields only cost memory. */
export function withTypes(items: Record<string, unknown>[], kind: ListedKind): Record<string, unknown>[] {
  return items.map((item) => {
    const metadata = isRecord(item['metadata']) ? item['metadata'] : undefined;
    if (metadata && 'managedFields' in metadata) delete metadata['managedFields'];
    // `kubectl apply` copies a Secret's whole manifest, data included, into this annotation: drop it at once.
    if (kind.metadataOnly && metadata && isRecord(metadata['annotations'])) delete metadata['annotations'][LAST_APPLIED];
    // Set last: metadata-only items say PartialObjectMetadata, and the controls must see the real kind.
    return { ...item, apiVersion: kind.apiVersion, kind: kind.kind };
  });
}

/** An API answer's JSON object; undefined for anything else (not JSON, null, a list). */
export function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
