/**
 * The PolicyReport sink against an in-memory API server that keeps resourceVersions as the real one does (a PUT
 * with a stale one is a 409 Conflict, a PUT of a missing object a 404): what it renders and the requests it makes.
 * The objects always equal `--format policyreport`'s rendering of all current findings; a change in one namespace
 * renders and writes that namespace's object alone, in one PUT. (The real API server, CRDs and agent:
 * test/cluster/serve-fleet.test.ts and serve-live.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiClient, ApiResponse } from '../../src/cluster/api-client.js';
import { FindingStore } from '../../src/engine/finding-store.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { renderPolicyReports, type PolicyReportApi } from '../../src/report/policy-report.js';
import { buildReport } from '../../src/report/report.js';
import type { Settled } from '../../src/serve/agent.js';
import { findingKey } from '../../src/serve/finding-key.js';
import { PolicyReportSink, REPORT_RESOURCES, RESOURCE_UID_LABEL } from '../../src/serve/policy-report-sink.js';
import type { ReportScope } from '../../src/serve/report-choice.js';
import type { Finding, ResourceRef } from '../../src/vocabulary/finding.js';
import type { Severity } from '../../src/vocabulary/severity.js';
import { asPerResourceResult } from '../support/per-resource-result.js';

const VERSION = parseKubeVersion('v1.31.0');
const SCORES = { overall: null, weighted: null, controls: [], sections: [] };

function finding(namespace: string | null, name: string, severity: Severity = 'low', reason?: string): Finding {
  const clusterScoped = namespace === null;
  return {
    controlId: severity === 'low' ? 'C-0013' : 'C-0057',
    title: 'a title',
    severity,
    pss: null,
    resource: clusterScoped ? { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: null, name } : { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
    location: { file: clusterScoped ? `cluster:/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}` : `cluster:/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, line: 0, column: 0 },
    field: 'spec',
    message: `${severity} on ${name}`,
    remediation: 'fix it',
    ...(reason !== undefined ? { suppression: { kind: 'annotation' as const, reason, source: 'kubeharden.io/ignore' } } : {}),
  };
}

/** Report objects by path, with resourceVersions, answering as kube-apiserver does; every request is recorded. */
class MemoryApiServer {
  readonly objects = new Map<string, Record<string, unknown>>();
  readonly requests: string[] = [];
  /** The size of each written body, bytes. */
  readonly written: number[] = [];
  private version = 100;

  get(path: string): Promise<ApiResponse> {
    this.requests.push(`GET ${path}`);
    const [base, query] = path.split('?');
    if (query !== undefined) {
      // A list across namespaces: `/apis/<group>/<version>/<plural>`.
      const plural = (base as string).split('/').pop() as string;
      // `labelSelector=key=value`, as the sink lists its own objects.
      const [label, value] = decodeURIComponent(new URLSearchParams(query).get('labelSelector') ?? '=').split('=') as [string, string];
      const labelled = (object: Record<string, unknown>) => label === '' || (object['metadata'] as { labels?: Record<string, string> }).labels?.[label] === value;
      const items = [...this.objects].filter(([key, object]) => key.split('/').at(-2) === plural && labelled(object)).map(([, object]) => object);
      return Promise.resolve(answer(200, { items }));
    }
    const object = this.objects.get(path);
    return Promise.resolve(object ? answer(200, object) : answer(404, {}));
  }

  write(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<ApiResponse> {
    this.requests.push(`${method} ${path}`);
    // The sink sends its reports serialized (a Buffer of JSON), as ApiClient.write takes them.
    if (body !== undefined) this.written.push(Buffer.isBuffer(body) ? body.length : Buffer.byteLength(JSON.stringify(body)));
    const object = (Buffer.isBuffer(body) ? JSON.parse(body.toString('utf8')) : body) as { metadata: Record<string, unknown> } | undefined;
    if (method === 'POST') {
      const at = `${path}/${encodeURIComponent(String(object!.metadata['name']))}`;
      if (this.objects.has(at)) return Promise.resolve(answer(409, {}));
      return Promise.resolve(answer(201, this.store(at, object!)));
    }
    const current = this.objects.get(path) as { metadata: Record<string, unknown> } | undefined;
    if (method === 'DELETE') {
      if (!current) return Promise.resolve(answer(404, {}));
      this.objects.delete(path);
      return Promise.resolve(answer(200, {}));
    }
    if (!current) return Promise.resolve(answer(404, {}));
    if (object!.metadata['resourceVersion'] !== current.metadata['resourceVersion']) return Promise.resolve(answer(409, {}));
    return Promise.resolve(answer(200, this.store(path, object!)));
  }

  /** Someone else's change: the object gets a new resourceVersion. */
  touch(path: string): void {
    this.store(path, this.objects.get(path) as { metadata: Record<string, unknown> });
  }

  private store(path: string, object: { metadata: Record<string, unknown> }): Record<string, unknown> {
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.version) } };
    this.objects.set(path, stored);
    return stored;
  }
}

/** An API server that holds the writes `hold` picks (every one while `holding`) until released: a slow one. */
class HeldApiServer extends MemoryApiServer {
  private held: { path: string; resolve: () => void }[] = [];
  hold: (path: string) => boolean = () => false;

  set holding(on: boolean) {
    this.hold = () => on;
  }

  override async write(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<ApiResponse> {
    if (this.hold(path)) await new Promise<void>((resolve) => this.held.push({ path, resolve }));
    return super.write(method, path, body);
  }

  get waiting(): number {
    return this.held.length;
  }

  /** Lets the held writes `which` picks go (all of them by default). */
  release(which: (path: string) => boolean = () => true): void {
    const going = this.held.filter((write) => which(write.path));
    this.held = this.held.filter((write) => !which(write.path));
    for (const write of going) write.resolve();
  }
}

function answer(status: number, body: unknown): ApiResponse {
  return { status, body: Buffer.from(JSON.stringify(body)) };
}

/** Feeds the sink batches as the agent does: every current finding, the keys added and changed, the findings removed. */
class Batches {
  readonly findings = new Map<string, Finding>();
  private first = true;

  constructor(private readonly sink: PolicyReportSink) {}

  /** One batch, and its objects written. */
  async settle(add: readonly Finding[], remove: readonly Finding[] = [], change: readonly Finding[] = []): Promise<void> {
    await this.hand(add, remove, change);
    await this.sink.idle();
  }

  /** One batch, handed over: the sink writes it in the background. */
  async hand(add: readonly Finding[], remove: readonly Finding[] = [], change: readonly Finding[] = []): Promise<void> {
    const removed = remove.map((finding) => [findingKey(finding), finding] as const);
    for (const [key] of removed) this.findings.delete(key);
    const added = add.map((finding) => {
      const key = findingKey(finding);
      this.findings.set(key, finding);
      return key;
    });
    const changed = change.map((finding) => {
      const key = findingKey(finding);
      this.findings.set(key, finding);
      return key;
    });
    const event: Settled = { at: new Date(), findings: this.findings, added, changed, removed, scores: SCORES, stats: { objects: 0, groups: [], ms: 0 }, lagMs: 0, initial: this.first };
    this.first = false;
    await this.sink.settled(event);
  }
}

/** What `--format policyreport` renders for these findings, by path, timestamps left out. */
function fullRendering(findings: Iterable<Finding>, api: PolicyReportApi): Map<string, unknown> {
  const store = new FindingStore();
  for (const item of findings) store.add(item);
  const report = buildReport(
    { store, errors: [], stats: { inputs: 0, resources: 0, podTemplates: 0 }, scores: SCORES, exceptions: [], selection: { active: [], skipped: [] } },
    { framework: 'all', version: VERSION, failOn: 'high', target: { kind: 'cluster', name: 'test' } },
  );
  const rendered = new Map<string, unknown>();
  for (const document of renderPolicyReports(report, { api })) rendered.set(pathOf(api, document.metadata.namespace, document.metadata.name), withoutTimes(document));
  store.close();
  return rendered;
}

function pathOf(api: PolicyReportApi, namespace: string | undefined, name: string): string {
  const resources = REPORT_RESOURCES[api];
  return namespace === undefined ? `/apis/${api}/${resources.cluster}/${name}` : `/apis/${api}/namespaces/${namespace}/${resources.namespaced}/${name}`;
}

function withoutTimes(document: unknown): unknown {
  const { results, metadata, ...rest } = document as { results: Record<string, unknown>[]; metadata: Record<string, unknown> };
  const { resourceVersion: _, ...kept } = metadata;
  return { ...rest, metadata: kept, results: results.map(({ timestamp: _time, ...result }) => result) };
}

function assertEqualsFullRendering(server: MemoryApiServer, batches: Batches, api: PolicyReportApi): void {
  const actual = new Map([...server.objects].map(([path, object]) => [path, withoutTimes(object)]));
  assert.deepEqual(actual, fullRendering(batches.findings.values(), api));
}

function setUp(api: PolicyReportApi = 'wgpolicyk8s.io/v1alpha2', server = new MemoryApiServer(), scope: ReportScope = 'namespace'): { server: MemoryApiServer; sink: PolicyReportSink; batches: Batches } {
  const sink = new PolicyReportSink(server as unknown as ApiClient, { cluster: 'test', version: VERSION, api, scope, uidOf });
  return { server, sink, batches: new Batches(sink) };
}

/** The watches' uid of each resource; a resource named `ghost` is not held. */
function uidOf(resource: ResourceRef): string | undefined {
  return resource.name === 'ghost' ? undefined : `uid-${resource.kind.toLowerCase()}-${resource.namespace ?? 'cluster'}-${resource.name}`;
}

/** Every result of every object on the server (or rendered), timestamps left out, in one sorted list. */
function allResults(objects: Iterable<unknown>): string[] {
  return [...objects].flatMap((object) => (withoutTimes(object) as { results: unknown[] }).results.map((result) => JSON.stringify(result))).sort();
}

/**
 * `allResults` of `--format policyreport`'s objects as per-resource reports hold them: each result without
 * `resources` (the report's scope names the resource) and without the catalog's texts (test/support/per-resource-result.ts).
 */
function scopedResults(objects: Iterable<unknown>): string[] {
  return allResults([...objects].map((object) => ({ ...(object as object), results: (object as { results: Record<string, unknown>[] }).results.map(asPerResourceResult) })));
}

/** Each object's results name no resource, and its scope is the resource `--format policyreport` names for each of them. */
function assertScoped(server: MemoryApiServer, findings: Iterable<Finding>, api: PolicyReportApi): void {
  const named = new Map<string, unknown>();
  for (const object of fullRendering(findings, api).values()) {
    for (const result of (object as { results: { properties: { fingerprint: string }; resources: Record<string, unknown>[] }[] }).results) {
      const { fieldPath: _, ...resource } = result.resources[0]!;
      named.set(result.properties.fingerprint, resource);
    }
  }
  for (const object of server.objects.values()) {
    const { uid: _, ...resource } = object['scope'] as Record<string, unknown>;
    for (const result of object['results'] as { properties: { fingerprint: string } }[]) {
      assert.equal('resources' in result, false);
      assert.deepEqual(named.get(result.properties.fingerprint), resource);
    }
  }
}

const shop = [finding('shop', 'web'), finding('shop', 'api')];
const bank = [finding('bank', 'ledger'), finding('bank', 'teller')];
const admin = finding(null, 'admin');

describe('PolicyReportSink, one report per namespace (--report-scope namespace)', () => {
  for (const api of ['wgpolicyk8s.io/v1alpha2', 'openreports.io/v1alpha1'] as const) {
    it(`keeps ${api} objects equal to --format policyreport's rendering through additions, removals, a changed suppression and a verdict change`, async () => {
      const { server, batches } = setUp(api);
      await batches.settle([...shop, ...bank, admin]);
      assertEqualsFullRendering(server, batches, api);
      assert.equal(server.objects.size, 3);
      await batches.settle([finding('shop', 'cart')], [bank[0]!]);
      assertEqualsFullRendering(server, batches, api);
      // The run's verdict (on every object) turns from pass to fail, and back.
      const high = finding('bank', 'vault', 'high');
      await batches.settle([high]);
      assertEqualsFullRendering(server, batches, api);
      assert.match(JSON.stringify(server.objects.get(pathOf(api, 'shop', 'kubeharden-shop'))), /"kubeharden.io\/verdict":"fail"/);
      await batches.settle([], [high]);
      assertEqualsFullRendering(server, batches, api);
      // Same key, other reason: the report shows the new reason.
      await batches.settle([finding('shop', 'db', 'low', 'first reason')]);
      await batches.settle([], [], [finding('shop', 'db', 'low', 'second reason')]);
      assertEqualsFullRendering(server, batches, api);
      assert.match(JSON.stringify(server.objects.get(pathOf(api, 'shop', 'kubeharden-shop'))), /second reason/);
      // A namespace without findings loses its object; the cluster report stays, empty.
      await batches.settle([], [...bank.slice(1), admin]);
      assertEqualsFullRendering(server, batches, api);
      assert.equal(server.objects.has(pathOf(api, 'bank', 'kubeharden-bank')), false);
      assert.equal(server.objects.has(pathOf(api, undefined, 'kubeharden-cluster')), true);
    });
  }

  it('after a change in one namespace renders that namespace alone and writes it with one PUT', async () => {
    const { server, sink, batches } = setUp();
    await batches.settle([...shop, ...bank, admin]);
    assert.equal(sink.rendered, 3);
    server.requests.length = 0;
    await batches.settle([finding('shop', 'cart')]);
    assert.equal(sink.rendered, 4);
    assert.deepEqual(server.requests, ['PUT /apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports/kubeharden-shop']);
    assertEqualsFullRendering(server, batches, 'wgpolicyk8s.io/v1alpha2');
  });

  it('a cluster-scoped finding renders and writes the cluster report alone', async () => {
    const { server, sink, batches } = setUp();
    await batches.settle([...shop, admin]);
    server.requests.length = 0;
    await batches.settle([finding(null, 'edit')]);
    assert.equal(sink.rendered, 3);
    assert.deepEqual(server.requests, ['PUT /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/kubeharden-cluster']);
  });

  it('on a conflict reads the object and writes again; when it is gone, creates it', async () => {
    const { server, batches } = setUp();
    await batches.settle([...shop]);
    const path = pathOf('wgpolicyk8s.io/v1alpha2', 'shop', 'kubeharden-shop');
    server.touch(path);
    server.requests.length = 0;
    await batches.settle([finding('shop', 'cart')]);
    assert.deepEqual(server.requests, [`PUT ${path}`, `GET ${path}`, `PUT ${path}`]);
    server.objects.delete(path);
    server.requests.length = 0;
    await batches.settle([finding('shop', 'db')]);
    assert.deepEqual(server.requests, [`PUT ${path}`, 'POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports']);
    assertEqualsFullRendering(server, batches, 'wgpolicyk8s.io/v1alpha2');
  });

  it('takes over the objects an earlier run left: replaces the changed ones with one PUT each, leaves the unchanged one and deletes the stale ones', async () => {
    const earlier = setUp();
    await earlier.batches.settle([...shop, ...bank, admin]);
    const { server, batches } = setUp('wgpolicyk8s.io/v1alpha2', earlier.server);
    server.requests.length = 0;
    await batches.settle([finding('shop', 'cart'), admin]);
    const writes = server.requests.filter((request) => !request.startsWith('GET'));
    assert.deepEqual(writes.sort(), [
      'DELETE /apis/wgpolicyk8s.io/v1alpha2/namespaces/bank/policyreports/kubeharden-bank',
      // The cluster report (admin's finding, the same verdict) says what it said: not written again.
      'PUT /apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports/kubeharden-shop',
    ]);
    assertEqualsFullRendering(server, batches, 'wgpolicyk8s.io/v1alpha2');
  });
});

describe('PolicyReportSink, a namespace past one object', () => {
  it('writes the parts of a split namespace and deletes the part no longer needed', async () => {
    const { server, batches } = setUp();
    const many = Array.from({ length: 1001 }, (_, index) => finding('shop', `web-${index}`));
    await batches.settle(many);
    assert.equal(server.objects.has(pathOf('wgpolicyk8s.io/v1alpha2', 'shop', 'kubeharden-shop-2')), true);
    assertEqualsFullRendering(server, batches, 'wgpolicyk8s.io/v1alpha2');
    await batches.settle([], many.slice(0, 2));
    assert.equal(server.objects.has(pathOf('wgpolicyk8s.io/v1alpha2', 'shop', 'kubeharden-shop-2')), false);
    assertEqualsFullRendering(server, batches, 'wgpolicyk8s.io/v1alpha2');
  });
});

describe('PolicyReportSink, a slow API server', () => {
  it('does not hold the batch back, writes the latest state of what came meanwhile once, and idle() waits for it', async () => {
    const server = new HeldApiServer();
    const { sink, batches } = setUp('wgpolicyk8s.io/v1alpha2', server);
    await batches.settle([...shop, admin]);
    server.holding = true;
    server.requests.length = 0;
    await batches.hand([finding('shop', 'cart')]);
    await until(() => server.waiting === 1);
    // Three more batches while that write hangs, in two namespaces: each returns at once. Shop's next write waits
    // for the one under way; bank's is taken by a free writer at once.
    await batches.hand([finding('shop', 'db')]);
    await batches.hand([], [shop[0]!]);
    await batches.hand([finding('bank', 'ledger')]);
    await until(() => server.waiting === 2);
    await releaseUntilIdle(server, sink);
    // The held writes, then shop's once more with the latest state of its two batches.
    assert.deepEqual(server.requests, [
      'PUT /apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports/kubeharden-shop',
      'POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/bank/policyreports',
      'PUT /apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports/kubeharden-shop',
    ]);
    assertEqualsFullRendering(server, batches, 'wgpolicyk8s.io/v1alpha2');
    // Twice caught up: after the first batch, and after the held write and the three batches that came meanwhile.
    assert.equal(sink.reportLatencies.length, 2);
  });

  it('reports a failed write and writes the namespace again after the next batch', async () => {
    const errors: string[] = [];
    const server = new MemoryApiServer();
    const sink = new PolicyReportSink(server as unknown as ApiClient, { cluster: 'test', version: VERSION, api: 'wgpolicyk8s.io/v1alpha2', scope: 'namespace', onError: (error) => errors.push(error.message) });
    const batches = new Batches(sink);
    await batches.settle([...shop]);
    const path = pathOf('wgpolicyk8s.io/v1alpha2', 'shop', 'kubeharden-shop');
    const write = server.write.bind(server);
    server.write = (method, at, body) => (at === path ? Promise.resolve(answer(500, {})) : write(method, at, body));
    await batches.settle([finding('shop', 'cart')]);
    assert.deepEqual(errors, ['replacing PolicyReport shop/kubeharden-shop: HTTP 500: {}']);
    server.write = write;
    await batches.settle([admin]);
    assertEqualsFullRendering(server, batches, 'wgpolicyk8s.io/v1alpha2');
  });
});

/** Lets the held writes go, and those that follow them, until the sink has written everything. */
async function releaseUntilIdle(server: HeldApiServer, sink: PolicyReportSink): Promise<void> {
  let idle = false;
  const done = sink.idle().then(() => (idle = true));
  while (!idle) {
    server.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
}

/** Waits for the condition, or fails after 10,000 turns of the event loop (the sink's writes need a few each). */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn === 10_000) assert.fail(`still not so after ${turn} turns: ${condition.toString()}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function ticks(count: number): Promise<void> {
  for (let tick = 0; tick < count; tick++) await new Promise((resolve) => setImmediate(resolve));
}

describe('PolicyReportSink, one report per resource (--report-scope resource, the default)', () => {
  const policyReports = '/apis/wgpolicyk8s.io/v1alpha2/namespaces';
  for (const api of ['wgpolicyk8s.io/v1alpha2', 'openreports.io/v1alpha1'] as const) {
    it(`${api}: every result of --format policyreport is in exactly one resource's object, through additions, removals, a changed suppression and a verdict change`, async () => {
      const { server, batches } = setUp(api, undefined, 'resource');
      const expectAgreement = (objects: number, results: number) => {
        const expected = scopedResults(fullRendering(batches.findings.values(), api).values());
        assert.deepEqual(allResults(server.objects.values()), expected);
        assertScoped(server, batches.findings.values(), api);
        assert.equal(expected.length, results);
        assert.equal(server.objects.size, objects);
      };
      // web has two findings, one object.
      await batches.settle([...shop, finding('shop', 'web', 'high'), ...bank, admin]);
      expectAgreement(5, 6);
      await batches.settle([finding('shop', 'cart')], [bank[0]!]);
      expectAgreement(5, 6);
      const high = finding('bank', 'vault', 'high');
      await batches.settle([], [finding('shop', 'web', 'high')]);
      expectAgreement(5, 5);
      await batches.settle([high]);
      expectAgreement(6, 6);
      // Each object carries its own resource's verdict: the run's turning to fail rewrites no other resource's object.
      assert.match(JSON.stringify(server.objects.get(pathOf(api, 'bank', 'kubeharden-uid-deployment-bank-vault'))), /"kubeharden.io\/verdict":"fail"/);
      assert.match(JSON.stringify(server.objects.get(pathOf(api, 'shop', 'kubeharden-uid-deployment-shop-api'))), /"kubeharden.io\/verdict":"pass"/);
      await batches.settle([finding('shop', 'db', 'low', 'first reason')]);
      await batches.settle([], [], [finding('shop', 'db', 'low', 'second reason')]);
      expectAgreement(7, 7);
      assert.match(JSON.stringify(server.objects.get(pathOf(api, 'shop', 'kubeharden-uid-deployment-shop-db'))), /second reason/);
      // No cluster-scoped finding left: no cluster report either.
      await batches.settle([], [admin]);
      expectAgreement(6, 6);
      assert.equal([...server.objects.keys()].some((path) => !path.includes('/namespaces/')), false);
    });
  }

  it('names the resource as scope and owner (uid from the watches), labels the uid, and puts a cluster-scoped one in a cluster report', async () => {
    const { server, batches } = setUp('wgpolicyk8s.io/v1alpha2', undefined, 'resource');
    await batches.settle([finding('shop', 'web'), admin, finding('shop', 'ghost')]);
    const web = server.objects.get(`${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-web`) as Record<string, Record<string, unknown>>;
    assert.deepEqual(web['scope'], { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', uid: 'uid-deployment-shop-web' });
    assert.deepEqual(web['metadata']!['ownerReferences'], [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-deployment-shop-web' }]);
    assert.deepEqual(web['metadata']!['labels'], { 'app.kubernetes.io/managed-by': 'kubeharden', [RESOURCE_UID_LABEL]: 'uid-deployment-shop-web' });
    assert.deepEqual(web['summary'], { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
    const cluster = server.objects.get('/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/kubeharden-uid-clusterrole-cluster-admin') as Record<string, Record<string, unknown>>;
    assert.equal(cluster['kind'], 'ClusterPolicyReport');
    assert.deepEqual(cluster['scope'], { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'admin', uid: 'uid-clusterrole-cluster-admin' });
    // A resource the watches do not hold: a name from its identity, its scope, no owner.
    const ghost = [...server.objects.values()].find((object) => (object['scope'] as { name: string }).name === 'ghost') as Record<string, Record<string, unknown>>;
    assert.match(String(ghost['metadata']!['name']), /^kubeharden-[0-9a-f]{32}$/);
    assert.equal(ghost['metadata']!['ownerReferences'], undefined);
    assert.deepEqual(ghost['scope'], { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'ghost' });
  });

  it('a change to one resource renders and writes its object alone, in one small PUT; a resource that becomes clean loses its object', async () => {
    const { server, sink, batches } = setUp('wgpolicyk8s.io/v1alpha2', undefined, 'resource');
    const many = Array.from({ length: 300 }, (_, index) => finding('shop', `web-${index}`));
    await batches.settle([...many, ...bank, admin]);
    assert.equal(sink.rendered, 303);
    server.requests.length = 0;
    server.written.length = 0;
    await batches.settle([finding('shop', 'web-7', 'high')]);
    assert.equal(sink.rendered, 304);
    assert.deepEqual(server.requests, [`PUT ${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-web-7`]);
    assert.ok(server.written[0]! < 4000, `one resource's object is small: ${server.written[0]} bytes`);
    server.requests.length = 0;
    await batches.settle([], [many[7]!, finding('shop', 'web-7', 'high')]);
    assert.deepEqual(server.requests, [`DELETE ${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-web-7`]);
    assert.equal(server.objects.size, 302);
  });

  it('coalesces repeated changes to one resource while a write is under way into one more write', async () => {
    const server = new HeldApiServer();
    const { sink, batches } = setUp('wgpolicyk8s.io/v1alpha2', server, 'resource');
    await batches.settle([...shop, admin]);
    server.holding = true;
    server.requests.length = 0;
    await batches.hand([finding('shop', 'web', 'high')]);
    await until(() => server.waiting === 1);
    // The privileged flag toggled three more times while the write hangs.
    await batches.hand([], [finding('shop', 'web', 'high')]);
    await batches.hand([finding('shop', 'web', 'high')]);
    await batches.hand([], [finding('shop', 'web', 'high')]);
    await releaseUntilIdle(server, sink);
    assert.deepEqual(server.requests, [`PUT ${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-web`, `PUT ${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-web`]);
    assert.deepEqual(allResults(server.objects.values()), scopedResults(fullRendering(batches.findings.values(), 'wgpolicyk8s.io/v1alpha2').values()));
  });

  it('writes a live change as soon as a writer is free, ahead of the first judgement\'s objects still waiting, eight writes at a time', async () => {
    const server = new HeldApiServer();
    const { sink, batches } = setUp('wgpolicyk8s.io/v1alpha2', server, 'resource');
    server.holding = true;
    const many = Array.from({ length: 300 }, (_, index) => finding('shop', `web-${index}`));
    await batches.hand(many);
    // Eight writes in flight at once.
    await until(() => server.waiting === 8);
    // web-99 sorts last: without the priority it would be written after the other 299.
    await batches.hand([finding('shop', 'web-99', 'high')]);
    await releaseUntilIdle(server, sink);
    // One POST each, web-99 with its new finding already.
    assert.equal(server.requests.filter((request) => !request.startsWith('GET')).length, 300);
    // Created in the order written: the eight in flight, the next of the two writers that take the backlog first
    // (so it is written even while changes keep coming), then web-99.
    const web99 = `${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-web-99`;
    assert.equal([...server.objects.keys()].indexOf(web99), 10);
    assert.deepEqual(allResults(server.objects.values()), scopedResults(fullRendering(batches.findings.values(), 'wgpolicyk8s.io/v1alpha2').values()));
  });

  it('while one write hangs, the next batches are written by the other writers, seven at a time', async () => {
    const server = new HeldApiServer();
    const { sink, batches } = setUp('wgpolicyk8s.io/v1alpha2', server, 'resource');
    await batches.settle([...shop, admin]);
    const before = server.objects.size;
    const inShop = (path: string) => path.includes('/namespaces/shop/');
    server.hold = inShop;
    await batches.hand([finding('shop', 'slow')]);
    await until(() => server.waiting === 1);
    // The other writers found nothing to take; a batch comes while the slow write hangs: they take it.
    server.hold = () => true;
    await batches.hand(Array.from({ length: 20 }, (_, index) => finding('bank', `web-${index}`)));
    await ticks(50);
    assert.equal(server.waiting, 8);
    // All of them are written while the slow one still hangs.
    server.hold = inShop;
    server.release((path) => !inShop(path));
    await until(() => server.objects.size === before + 20);
    assert.equal(server.waiting, 1);
    server.hold = () => false;
    await releaseUntilIdle(server, sink);
    assert.equal(server.objects.size, before + 21);
    assert.deepEqual(allResults(server.objects.values()), scopedResults(fullRendering(batches.findings.values(), 'wgpolicyk8s.io/v1alpha2').values()));
  });

  it('after a restart takes over the objects an earlier run left: leaves the unchanged, replaces the changed, deletes those of resources now clean or gone and the per-namespace ones', async () => {
    const server = new MemoryApiServer();
    // An earlier agent with the resource layout, and objects left by one with the namespace layout.
    await setUp('wgpolicyk8s.io/v1alpha2', server, 'resource').batches.settle([...shop, ...bank, admin]);
    const older = setUp('wgpolicyk8s.io/v1alpha2', undefined, 'namespace');
    await older.batches.settle([...shop, admin]);
    for (const [path, object] of older.server.objects) server.objects.set(path, object);
    // Someone else's report is never touched.
    server.objects.set(`${policyReports}/shop/policyreports/kyverno-web`, { metadata: { name: 'kyverno-web', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'kyverno' } }, results: [] });
    assert.equal(server.objects.size, 5 + 2 + 1);
    const { sink, batches } = setUp('wgpolicyk8s.io/v1alpha2', server, 'resource');
    server.requests.length = 0;
    // While the agent was away: bank's teller was deleted, web was fixed and api's finding now reads differently.
    await batches.settle([{ ...shop[1]!, message: 'changed while away' }, bank[0]!, admin]);
    const writes = server.requests.filter((request) => !request.startsWith('GET'));
    assert.deepEqual(writes.sort(), [
      'DELETE /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/kubeharden-cluster',
      `DELETE ${policyReports}/bank/policyreports/kubeharden-uid-deployment-bank-teller`,
      `DELETE ${policyReports}/shop/policyreports/kubeharden-shop`,
      `DELETE ${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-web`,
      // Kept: the changed one replaced with one PUT at the version listed; admin's and ledger's, unchanged, not written.
      `PUT ${policyReports}/shop/policyreports/kubeharden-uid-deployment-shop-api`,
    ]);
    assert.ok(server.objects.has(`${policyReports}/shop/policyreports/kyverno-web`));
    server.objects.delete(`${policyReports}/shop/policyreports/kyverno-web`);
    assert.deepEqual(allResults(server.objects.values()), scopedResults(fullRendering(batches.findings.values(), 'wgpolicyk8s.io/v1alpha2').values()));
    assert.equal(sink.writes, 5);
  });
});
