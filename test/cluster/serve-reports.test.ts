/**
 * `kubeharden serve`'s per-resource PolicyReports (`--report-scope resource`, the default) against a real
 * kube-apiserver with Kyverno's PolicyReport CRDs: after the first list and after random sequences of creates,
 * updates and deletes, every result of a fresh full scan's `--format policyreport` is in exactly one report (the one
 * of its resource, scoped to it and owned by it), less its `resources` (the report's scope names the resource, as
 * in Kyverno's per-resource reports), within 2 s; one change writes one report; a restart deletes the
 * reports left stale while the agent was away and writes none of the unchanged ones. (The namespace layout, the RBAC and the OpenReports kinds:
 * serve-fleet.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ApiClient } from '../../src/cluster/api-client.js';
import { scanCluster } from '../../src/cluster/cluster-scan.js';
import { LISTED_KINDS } from '../../src/cluster/resource-kinds.js';
import { renderPolicyReports } from '../../src/report/policy-report.js';
import { buildReport } from '../../src/report/report.js';
import { Agent } from '../../src/serve/agent.js';
import { MANAGED_BY_SELECTOR, RESOURCE_UID_LABEL, type PolicyReportSink } from '../../src/serve/policy-report-sink.js';
import { addReportSinks } from '../../src/serve/report-sinks.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';
import { needsGo } from '../support/go-module.js';
import { crdsOf, installCrds, KYVERNO_CRDS } from '../support/report-crds.js';
import { adminClient, applyChange, changeArbitrary, difference, liveScanOptions, NAMESPACES, release, sortKeys } from '../support/serve-changes.js';
import { useServers } from '../support/use-cluster.js';
import { asPerResourceResult } from '../support/per-resource-result.js';

const API = 'wgpolicyk8s.io/v1alpha2';
/** Results about the scan itself (unreadable inputs, parts not assessed): the agent reports findings only. */
const SCAN_POLICIES = new Set(['kubeharden-input', 'kubeharden-scan']);

interface ReportObject {
  metadata: { name: string; namespace?: string; labels: Record<string, string>; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[] };
  scope?: { apiVersion: string; kind: string; namespace?: string; name: string; uid?: string };
  results: Record<string, unknown>[];
}

/**
 * Every result as one sorted list of lines: the resource it is about, then the result's JSON without timestamp, as
 * a per-resource report holds it (test/support/per-resource-result.ts: no `resources`, no catalog texts; keys
 * sorted: the API server sorts them). A per-resource report's results are about its `scope`; a
 * full scan's name their resource (its `fieldPath` is the result's `properties.field` as well).
 */
function resultLines(objects: readonly { scope?: Record<string, unknown>; results: Record<string, unknown>[] }[]): string[] {
  return objects
    .flatMap((object) =>
      object.results.map(({ timestamp: _, ...result }) => {
        const { uid: _uid, ...scope } = object.scope ?? {};
        const { fieldPath: _field, ...named } = (result['resources'] as Record<string, unknown>[] | undefined)?.[0] ?? {};
        return `${JSON.stringify(sortKeys(object.scope ? scope : named))} ${JSON.stringify(sortKeys(asPerResourceResult(result)))}`;
      }),
    )
    .sort();
}

/** A fresh full scan, rendered by `--format policyreport`: its finding results. */
async function fullScanResults(client: ApiClient, gitVersion: string): Promise<string[]> {
  const options = liveScanOptions(gitVersion);
  const scan = await scanCluster(client, options, { excludeNamespaces: [], probeAnonymous: false, kubeletConfigz: false, release: release(gitVersion) });
  const report = buildReport(scan.result, { framework: 'all', version: options.version, failOn: 'high', target: { kind: 'cluster', name: 'test' } });
  const objects = renderPolicyReports(report, { api: API }).map((object) => ({ results: object.results.filter((result) => !SCAN_POLICIES.has(result.policy)) as unknown as Record<string, unknown>[] }));
  return resultLines(objects);
}

describe('kubeharden serve: one PolicyReport per resource (real API server, Kyverno CRDs)', { timeout: 600_000 }, () => {
  let crds: unknown[] = [];
  let cluster: Cluster;
  let client: ApiClient;
  let gitVersion: string;
  let agent: Agent | undefined;
  let sink: PolicyReportSink;
  const writeErrors: string[] = [];

  const startAgent = async () => {
    const started = new Agent(client, { scanOptions: liveScanOptions(gitVersion), serverName: client.serverName, release: release(gitVersion), batchMs: 20 });
    // As `kubeharden serve --reports policyreport --report-scope resource` wires them.
    [sink] = addReportSinks(started, client, { cluster: 'test', version: liveScanOptions(gitVersion).version, reports: 'policyreport', scope: 'resource', onError: (error) => writeErrors.push(error.message) }) as [PolicyReportSink];
    await started.start();
    agent = started;
  };

  /** kubeharden's reports in the cluster, found as `kubectl get policyreports,clusterpolicyreports -A -l …` would. */
  const reports = async (): Promise<ReportObject[]> => {
    const objects: ReportObject[] = [];
    for (const plural of ['policyreports', 'clusterpolicyreports']) {
      const response = await cluster.request('admin', 'GET', `/apis/${API}/${plural}?labelSelector=${encodeURIComponent(MANAGED_BY_SELECTOR)}`);
      assert.equal(response.status, 200, response.text);
      objects.push(...(response.json as { items: ReportObject[] }).items);
    }
    return objects;
  };

  /**
   * Polls until the reports hold exactly the full scan's results; returns the ms it took. The time counts from the
   * call (each test calls it right after its change), the full scan's own time included.
   */
  const reportsAgreeWithin = async (ms: number): Promise<{ ms: number; results: number; objects: ReportObject[] }> => {
    const started = Date.now();
    const expected = await fullScanResults(client, gitVersion);
    for (;;) {
      const objects = await reports();
      const actual = resultLines(objects);
      if (JSON.stringify(actual) === JSON.stringify(expected)) return { ms: Date.now() - started, results: expected.length, objects };
      if (Date.now() - started > ms) assert.deepEqual(actual, expected, `${difference(expected, actual)}\nwrite errors: ${writeErrors.join('\n')}\nwrites: ${sink.writes}, agent ready: ${agent?.isReady}\nreports: ${objects.map((object) => `${object.metadata.name} ${JSON.stringify(object.scope)} ${object.results.length}`).join('\n')}`);
      assert.deepEqual(writeErrors, []);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const shared = useServers<Cluster>(
    async () => {
      // Go fetches the CRDs: without it (outside CI) every test is skipped and no server starts.
      const goMissing = needsGo();
      if (goMissing) return { skip: goMissing };
      crds = crdsOf(KYVERNO_CRDS);
      return startCluster({ profile: 'insecure' });
    },
    async (started, onStop) => {
      cluster = started;
      for (const namespace of NAMESPACES) await cluster.createNamespace(namespace);
      await installCrds(cluster, crds);
      client = await adminClient(cluster);
      onStop(() => client.close());
      gitVersion = cluster.version.gitVersion;
      // The tests stop and start the agent: the one running at the end is stopped.
      onStop(() => agent?.stop());
      await startAgent();
    },
  );

  it('after the first list, the reports hold exactly the results of a full scan, one report per resource, scoped to it and owned by it', async (t) => {
    if (!shared.ready(t)) return;
    const { ms, results, objects } = await reportsAgreeWithin(2000);
    assert.ok(results > 10, `the empty cluster has findings already (${results})`);
    const names = new Set<string>();
    for (const object of objects) {
      const scope = object.scope!;
      // The resource as the API server has it: the uid is the live object's.
      const plural = LISTED_KINDS.find((kind) => kind.kind === scope.kind)!.plural;
      const base = scope.apiVersion === 'v1' ? '/api/v1' : `/apis/${scope.apiVersion}`;
      const live = await cluster.request('admin', 'GET', scope.namespace ? `${base}/namespaces/${scope.namespace}/${plural}/${scope.name}` : `${base}/${plural}/${scope.name}`);
      assert.equal(live.status, 200, `${scope.kind} ${scope.name}: ${live.text.slice(0, 200)}`);
      const uid = (live.json as { metadata: { uid: string } }).metadata.uid;
      assert.equal(scope.uid, uid);
      assert.equal(object.metadata.name, `kubeharden-${uid}`);
      assert.equal(object.metadata.namespace, scope.namespace);
      assert.deepEqual(object.metadata.ownerReferences, [{ apiVersion: scope.apiVersion, kind: scope.kind, name: scope.name, uid }]);
      assert.equal(object.metadata.labels[RESOURCE_UID_LABEL], uid);
      // The scope names the resource: no result repeats it; nor the catalog's texts, which the policy names.
      for (const result of object.results) {
        assert.equal(result['resources'], undefined);
        const properties = result['properties'] as Record<string, string>;
        for (const key of ['controlId', 'title', 'remediation', 'nsaSection']) assert.equal(properties[key], undefined, `${String(result['policy'])}: ${key}`);
      }
      names.add(`${scope.kind}/${scope.namespace ?? ''}/${scope.name}`);
    }
    assert.equal(names.size, objects.length, 'one report per resource');
    t.diagnostic(`${results} results in ${objects.length} reports, agreed after ${ms} ms`);
  });

  it('after random sequences of creates, updates and deletes, the reports hold exactly the full scan results within 2 s', async (t) => {
    if (!shared.ready(t)) return;
    let compared = 0;
    let most = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(changeArbitrary, { minLength: 1, maxLength: 6 }), async (changes) => {
        for (const change of changes) await applyChange(cluster, change);
        const { results } = await reportsAgreeWithin(2000);
        compared++;
        most = Math.max(most, results);
      }),
      { numRuns: 10, seed: 20261204, endOnFailure: true },
    );
    assert.equal(compared, 10);
    t.diagnostic(`10 sequences compared; up to ${most} results`);
  });

  it('one Deployment turned privileged writes its own report alone, within 2 s', async (t) => {
    if (!shared.ready(t)) return;
    await applyChange(cluster, { op: 'put', what: 'deployment', namespace: 'alpha', name: 'solo', privileged: false, app: 'web', serviceAccount: 'default', ignore: false });
    await reportsAgreeWithin(2000);
    await agent!.stop();
    await startAgent();
    await reportsAgreeWithin(2000);
    await sink.idle();
    const before = sink.writes;
    const started = Date.now();
    await applyChange(cluster, { op: 'patch', what: 'deployment', namespace: 'alpha', name: 'solo', privileged: true, automount: false });
    const { ms, objects } = await reportsAgreeWithin(2000);
    await sink.idle();
    assert.equal(sink.writes - before, 1, 'one PUT');
    const solo = objects.find((object) => object.scope?.kind === 'Deployment' && object.scope.name === 'solo' && object.scope.namespace === 'alpha');
    assert.ok(solo?.results.some((result) => result['policy'] === 'POD-NO-PRIVILEGED'));
    t.diagnostic(`change → report ${Date.now() - started} ms (agreement polled after ${ms} ms)`);
  });

  it('a restart deletes the reports left stale while the agent was away: a deleted resource, a per-namespace report', async (t) => {
    if (!shared.ready(t)) return;
    await agent!.stop();
    agent = undefined;
    const deleted = await cluster.request('admin', 'DELETE', '/apis/apps/v1/namespaces/alpha/deployments/solo');
    assert.equal(deleted.status, 200, deleted.text);
    const left = await cluster.request('admin', 'POST', `/apis/${API}/namespaces/beta/policyreports`, { apiVersion: API, kind: 'PolicyReport', metadata: { name: 'kubeharden-beta', namespace: 'beta', labels: { 'app.kubernetes.io/managed-by': 'kubeharden' } }, results: [] });
    assert.equal(left.status, 201, left.text);
    const stale = (await reports()).filter((object) => object.scope === undefined || (object.scope.kind === 'Deployment' && object.scope.name === 'solo'));
    assert.equal(stale.length, 2);
    await startAgent();
    await reportsAgreeWithin(2000);
    // The empty stale report does not change the results: it is gone once the sink is idle.
    await sink.idle();
    const objects = await reports();
    assert.deepEqual(objects.filter((object) => object.scope === undefined || object.scope.name === 'solo'), []);
    // The reports the API server lists that say what the first judgement says again are not written again: the
    // two stale ones deleted are the restart's only writes.
    assert.equal(sink.writes, 2, `${objects.length} reports kept`);
  });
});
