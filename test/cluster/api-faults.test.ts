/**
 * The API client against the faults a real API server cannot be made to show, served by a small fake on
 * 127.0.0.1 (test/support/local-server.ts): a repeated or endless continue token, an answer that trickles or never
 * ends, an expired continue token (410), 429 with Retry-After. Each fake bounds its own loop and is closed after
 * the test; the real API server's own behaviour is tested in cluster-scan.test.ts and api-access.test.ts.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { ApiClient, MAX_RETRIES, type ConnectOptions } from '../../src/cluster/api-client.js';
import { MAX_RELISTS, startList } from '../../src/cluster/lister.js';
import { LISTED_KINDS } from '../../src/cluster/resource-kinds.js';
import type { Report } from '../../src/report/report.js';
import { startFakeServer, writeKubeconfig, type LocalServer } from '../support/local-server.js';
import { runCliAsync } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';

const PODS = LISTED_KINDS.find((kind) => kind.kind === 'Pod')!;
/** Every fake stops answering properly after this many requests, so a client that loops cannot loop forever. */
const FAKE_REQUEST_BOUND = 200;

function pod(name: string): object {
  return { metadata: { name, namespace: 'shop', uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
}

function answer(response: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function podList(names: string[], token?: string): object {
  return { kind: 'PodList', apiVersion: 'v1', metadata: token ? { continue: token } : {}, items: names.map(pod) };
}

async function fake(t: TestContext, handle: Parameters<typeof startFakeServer>[0]): Promise<LocalServer> {
  const server = await startFakeServer((request, response, index) => {
    if (index >= FAKE_REQUEST_BOUND) return answer(response, 500, { message: 'the fake server stopped: too many requests' });
    handle(request, response, index);
  });
  t.after(() => server.close());
  return server;
}

async function client(t: TestContext, server: LocalServer, options: Partial<ConnectOptions> = {}): Promise<ApiClient> {
  const dir = tempDir('faults', t);
  const kubeconfig = writeKubeconfig(dir, 'config', server.url, { token: 'fake' });
  const connected = await ApiClient.connect({ kubeconfig, timeoutMs: 5_000, concurrency: 2, env: {}, ...options });
  t.after(() => connected.close());
  return connected;
}

/** Every object a list gives, page by page, or the error that stopped it. */
async function listAll(api: ApiClient): Promise<{ names: string[]; error?: string }> {
  const outcome = await startList(api, PODS, undefined);
  if (outcome.status !== 'listed') return { names: [], error: outcome.status === 'not-served' ? 'not served' : outcome.reason };
  const names = outcome.first.map((item) => (item['metadata'] as { name: string }).name);
  try {
    for await (const page of outcome.next()) names.push(...page.map((item) => (item['metadata'] as { name: string }).name));
  } catch (error) {
    return { names, error: (error as Error).message };
  }
  return { names };
}

describe('API client: continue tokens', () => {
  it('a server that repeats the same continue token is stopped at the repeat, not looped on', async (t) => {
    const server = await fake(t, (_request, response, index) => answer(response, 200, podList([`p${index}`], 'same-token')));
    const api = await client(t, server);
    const listed = await listAll(api);
    assert.match(listed.error ?? '', /listing pods stopped: the server sent the same continue token twice \(after 2 pages\)/);
    assert.equal(server.seen.length, 2, server.seen.join('\n'));
  });

  it('a server that hands out a new token forever is stopped at --max-list-pages', async (t) => {
    const server = await fake(t, (_request, response, index) => answer(response, 200, podList([`p${index}`], `token-${index}`)));
    const api = await client(t, server, { maxListPages: 20 });
    const listed = await listAll(api);
    assert.match(listed.error ?? '', /listing pods stopped after 20 pages \(--max-list-pages\)/);
    assert.equal(server.seen.length, 20);
    assert.equal(listed.names.length, 20, 'the objects listed before were kept');
  });

  it('an expired continue token (410 Expired) lists the kind again, and passes on each object once', async (t) => {
    const server = await fake(t, (request, response) => {
      const token = new URL(request.url ?? '', 'http://x').searchParams.get('continue');
      if (token === null) return answer(response, 200, podList(server.seen.length === 1 ? ['a', 'b'] : ['a', 'b', 'c', 'd'], server.seen.length === 1 ? 'page-2' : undefined));
      answer(response, 410, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'The provided continue parameter is too old' });
    });
    const api = await client(t, server);
    const listed = await listAll(api);
    assert.equal(listed.error, undefined);
    assert.deepEqual(listed.names, ['a', 'b', 'c', 'd']);
    assert.deepEqual(server.seen.map((line) => /continue=/.test(line)), [false, true, false]);
  });

  it('a token that keeps expiring is given up after MAX_RELISTS lists', async (t) => {
    const server = await fake(t, (request, response, index) => {
      const token = new URL(request.url ?? '', 'http://x').searchParams.get('continue');
      if (token === null) return answer(response, 200, podList([`p${index}`], `t${index}`));
      answer(response, 410, { kind: 'Status', reason: 'Expired', code: 410, message: 'too old' });
    });
    const api = await client(t, server);
    const listed = await listAll(api);
    assert.match(listed.error ?? '', /HTTP 410: too old/);
    assert.equal(server.seen.length, 2 + 2 * MAX_RELISTS);
  });
});

describe('API client: bounded answers', () => {
  it('--request-timeout bounds the whole answer: one byte a second does not keep it alive', async (t) => {
    const server = await fake(t, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      let sent = 0;
      const drip = setInterval(() => {
        // Bounded: 60 bytes at most, then the fake ends the answer itself.
        if (++sent > 60 || response.destroyed) return clearInterval(drip), response.end();
        response.write(' ');
      }, 100);
    });
    const api = await client(t, server, { timeoutMs: 1_000 });
    const started = Date.now();
    await assert.rejects(api.get('/version'), /GET \/version: no complete answer within 1 s \(--request-timeout\)/);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2_500, `gave up after ${elapsed} ms`);
  });

  it('an endless body is cut off at --max-response-size', async (t) => {
    let sentBytes = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const server = await fake(t, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      // Endless for the client; bounded here at 256 MiB.
      const pump = () => {
        while (!response.destroyed && sentBytes < 256 * 1024 * 1024) {
          sentBytes += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
    const api = await client(t, server, { maxResponseBytes: 1024 * 1024 });
    await assert.rejects(api.get('/api/v1/pods?limit=500'), /GET \/api\/v1\/pods: the answer is larger than 1 MiB \(--max-response-size\)/);
    assert.ok(sentBytes < 64 * 1024 * 1024, `the server wrote ${sentBytes} bytes before the client hung up`);
    // A list asks with smaller pages (500, 50, 5, 1) before it gives up: still bounded.
    const listed = await listAll(api);
    assert.match(listed.error ?? '', /the answer is larger than 1 MiB/);
    assert.deepEqual(server.seen.slice(1).map((line) => new URL(line.slice(4), 'http://x').searchParams.get('limit')), ['500', '50', '5', '1']);
  });

  it('a page larger than the cap is asked again with a tenth of the limit, and the list goes on', async (t) => {
    const padding = 'x'.repeat(100 * 1024);
    const names = Array.from({ length: 12 }, (_, index) => `p${index}`);
    const server = await fake(t, (request, response) => {
      const query = new URL(request.url ?? '', 'http://x').searchParams;
      const start = Number(query.get('continue') ?? '0');
      const page = names.slice(start, start + Number(query.get('limit')));
      const end = start + page.length;
      // Each pod carries 100 KB: 500 (or 50) of them are far over a 1 MiB cap, 5 are not.
      const items = page.map((name) => ({ ...pod(name), data: padding }));
      answer(response, 200, { kind: 'PodList', apiVersion: 'v1', metadata: end < names.length ? { continue: String(end) } : {}, items });
    });
    const api = await client(t, server, { maxResponseBytes: 1024 * 1024 });
    const listed = await listAll(api);
    assert.equal(listed.error, undefined);
    assert.deepEqual(listed.names, names);
    assert.deepEqual(server.seen.map((line) => new URL(line.slice(4), 'http://x').searchParams.get('limit')), ['500', '50', '5', '5', '5']);
  });

  it('a Content-Length above the cap is refused before the body is read', async (t) => {
    const server = await fake(t, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(10 * 1024 * 1024) });
      response.write('{');
    });
    const api = await client(t, server, { maxResponseBytes: 1024 * 1024 });
    await assert.rejects(api.get('/version'), /larger than 1 MiB/);
  });
});

describe('API client: 429 Retry-After', () => {
  it('waits as Retry-After asks, then goes on', async (t) => {
    const server = await fake(t, (_request, response, index) => {
      if (index === 0) return answer(response, 429, { kind: 'Status', code: 429, message: 'Too many requests' }, { 'Retry-After': '1' });
      answer(response, 200, { gitVersion: 'v1.37.2' });
    });
    const api = await client(t, server);
    const started = Date.now();
    const response = await api.get('/version');
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 950, 'waited about a second');
    assert.equal(server.seen.length, 2);
  });

  it('a Retry-After longer than kubeharden waits fails at once, with the reason', async (t) => {
    const server = await fake(t, (_request, response) => answer(response, 429, { message: 'slow down' }, { 'Retry-After': '3600' }));
    const api = await client(t, server);
    await assert.rejects(api.get('/version'), /retry after 3600 s \(HTTP 429\), longer than kubeharden waits \(30 s\)/);
    assert.equal(server.seen.length, 1);
  });

  it('429 forever: MAX_RETRIES retries, then the list is reported as failed', async (t) => {
    const server = await fake(t, (_request, response) => answer(response, 429, { message: 'Too many requests' }, { 'Retry-After': '0' }));
    const api = await client(t, server);
    const listed = await listAll(api);
    assert.match(listed.error ?? '', /HTTP 429: Too many requests/);
    assert.equal(server.seen.length, MAX_RETRIES + 1);
  });
});

describe('kubeharden cluster against a server that repeats its continue token', () => {
  it('ends, reports the kind as not assessed with the reason, and exits 2', async (t) => {
    const server = await fake(t, (request, response) => {
      const path = new URL(request.url ?? '', 'http://x').pathname;
      if (path === '/version') return answer(response, 200, { gitVersion: 'v1.37.2' });
      if (path === '/api/v1/pods') return answer(response, 200, podList(['web'], 'same-token'));
      answer(response, 200, { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] });
    });
    const dir = tempDir('faults', t);
    const kubeconfig = writeKubeconfig(dir, 'config', server.url, { token: 'fake' });
    const result = await runCliAsync(['cluster', '--kubeconfig', kubeconfig, '--format', 'json']);
    assert.equal(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.incomplete, true);
    const pods = report.notAssessed?.find((item) => item.what === 'Pod (v1)');
    assert.match(pods?.reason ?? '', /the server sent the same continue token twice \(after 2 pages\); the objects listed before were judged/);
    assert.equal(server.seen.filter((line) => line.startsWith('GET /api/v1/pods?')).length, 2);
  });
});

describe('kubeharden cluster when a kind cannot be listed', () => {
  /** One NetworkPolicy for pods that are not there; `forbidden` answers 403 for that list. */
  async function scan(t: TestContext, forbidden: string | undefined): Promise<Report> {
    const server = await fake(t, (request, response) => {
      const path = new URL(request.url ?? '', 'http://x').pathname;
      if (path === '/version') return answer(response, 200, { gitVersion: 'v1.37.2' });
      if (path === forbidden) return answer(response, 403, { kind: 'Status', code: 403, message: 'forbidden' });
      if (path === '/api/v1/namespaces') return answer(response, 200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'shop' } }] });
      if (path === '/apis/networking.k8s.io/v1/networkpolicies') {
        const orders = { metadata: { name: 'orders', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'orders' } } } };
        return answer(response, 200, { kind: 'NetworkPolicyList', apiVersion: 'networking.k8s.io/v1', metadata: {}, items: [orders] });
      }
      answer(response, 200, { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] });
    });
    const kubeconfig = writeKubeconfig(tempDir('faults', t), 'config', server.url, { token: 'fake' });
    const result = await runCliAsync(['cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--allow-partial', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Report;
  }
  const selectsNothing = (report: Report) => report.findings.filter((f) => f.controlId === 'NET-POLICY-SELECTS-NOTHING').map((f) => f.resource.name);

  it('an absent pod is taken as absent only when every kind was listed', async (t) => {
    assert.deepEqual(selectsNothing(await scan(t, undefined)), ['orders']);
    // Deployments hidden: the policy's pods may be there, so the policy is not judged.
    const partial = await scan(t, '/apis/apps/v1/deployments');
    assert.ok(partial.notAssessed?.some((item) => item.what === 'Deployment (apps/v1)'));
    assert.deepEqual(selectsNothing(partial), []);
  });
});
