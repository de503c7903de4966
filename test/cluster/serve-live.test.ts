/**
 * `kubeharden serve`'s live judgement against a real kube-apiserver: after any sequence of creates, updates and
 * deletes (namespace labels and cross-namespace NetworkPolicy peers among them), the agent's findings and scores
 * equal a fresh `kubeharden cluster` scan of the same state, and a change re-judges only the object and the
 * inventory groups it feeds.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ApiClient } from '../../src/cluster/api-client.js';
import { Agent, type Settled } from '../../src/serve/agent.js';
import { HistorySink } from '../../src/serve/history-sink.js';
import { Metrics } from '../../src/serve/metrics.js';
import type { History } from '../../src/serve/store/history.js';
import { openHistory } from '../../src/serve/store/open-history.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { adminClient, agreeWithin, applyChange, changeArbitrary, fullScan, liveScanOptions, NAMESPACES, release } from '../support/serve-changes.js';
import { tempDir } from '../support/temp-dir.js';
import { useCluster } from '../support/use-cluster.js';

/** A finding as the history keeps it: control, resource, field, and whether an exception accepts it. */
function historyLine(finding: { controlId: string; apiVersion: string; kind: string; namespace: string | null; name: string | null; field: string; accepted: boolean }): string {
  return [finding.controlId, finding.apiVersion, finding.kind, finding.namespace ?? '', finding.name ?? '', finding.field, finding.accepted ? 'accepted' : 'open'].join(' ');
}

function historyLinesOf(findings: readonly Finding[]): string[] {
  return findings.map((finding) => historyLine({ controlId: finding.controlId, ...finding.resource, field: finding.field, accepted: finding.suppression !== undefined })).sort();
}

/** `kubeharden_findings` as `control severity namespace count` lines. */
function metricLines(text: string): string[] {
  return parsePrometheusText(text).samples.filter((sample) => sample.name === 'kubeharden_findings').map((sample) => `${sample.labels['control']} ${sample.labels['severity']} ${sample.labels['namespace']} ${sample.value}`).sort();
}

describe('kubeharden serve: live judgement equals a full scan (real API server)', { timeout: 600_000 }, () => {
  let client: ApiClient;
  let agent: Agent;
  let gitVersion: string;
  let history: History;
  let metrics: Metrics;

  const shared = useCluster({ profile: 'insecure' }, async (cluster, onStop) => {
    for (const namespace of NAMESPACES) await cluster.createNamespace(namespace);
    client = await adminClient(cluster);
    onStop(() => client.close());
    gitVersion = cluster.version.gitVersion;
    history = await openHistory(`sqlite:${join(tempDir('serve-live-history'), 'history.db')}`);
    onStop(() => history.close());
    await history.registerCluster('test', client.serverName, gitVersion, Date.now());
    agent = new Agent(client, { scanOptions: liveScanOptions(gitVersion), serverName: client.serverName, release: release(gitVersion), batchMs: 20 });
    agent.addSink(new HistorySink(history, 'test'));
    metrics = new Metrics(agent, 'test');
    onStop(() => agent.stop());
    await agent.start();
  });

  it('after the first list, the findings and scores equal a full scan', async (t) => {
    if (!shared.ready(t)) return;
    const expected = await fullScan(client, gitVersion);
    assert.ok(expected.lines.length > 10, `the empty cluster has findings already (${expected.lines.length})`);
    await agreeWithin(agent, expected, 2000);
  });

  it('after random sequences of creates, updates and deletes, the findings, scores, /metrics and the history equal a full scan within 2 s', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    let compared = 0;
    let findings = 0;
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(changeArbitrary, { minLength: 1, maxLength: 8 }), async (changes) => {
        for (const change of changes) await applyChange(cluster, change);
        // The 2 s count from the last change, the full scan's own time included.
        const changed = Date.now();
        const expected = await fullScan(client, gitVersion);
        await agreeWithin(agent, expected, 2000, changed);
        // /metrics as the agent serves it: open findings by control, severity and namespace, counted from the full scan.
        const counts = new Map<string, number>();
        for (const finding of expected.findings) {
          if (finding.suppression) continue;
          const namespace = finding.resource.namespace ?? (finding.about?.startsWith('Namespace/') ? finding.about.slice('Namespace/'.length) : '');
          const key = `${finding.controlId} ${finding.severity} ${namespace}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        assert.deepEqual(metricLines(metrics.render()), [...counts].map(([key, count]) => `${key} ${count}`).sort());
        // The history's open findings: exactly the full scan's, written within the same 2 s.
        const wanted = historyLinesOf(expected.findings);
        for (;;) {
          const open = (await history.findings({ cluster: 'test', open: true, limit: 100_000 })).map(historyLine).sort();
          if (JSON.stringify(open) === JSON.stringify(wanted)) break;
          if (Date.now() - changed > 2000) assert.deepEqual(open, wanted, 'the history\'s open findings');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        slowest = Math.max(slowest, Date.now() - changed);
        compared++;
        findings = Math.max(findings, expected.lines.length);
      }),
      { numRuns: 20, seed: 20261203, endOnFailure: true },
    );
    assert.equal(compared, 20);
    t.diagnostic(`20 sequences compared; up to ${findings} findings; findings, /metrics and history agreed at most ${slowest} ms after the last change (the full scan's time included)`);
  });

  it('a change re-judges its object and only the inventory groups whose input it moved: RBAC, its namespace, the cluster-wide controls', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const batches: Settled[] = [];
    agent.onSettled((event) => batches.push(event));
    const expectBatch = async (groups: string[], why: string) => {
      const changed = Date.now();
      await agreeWithin(agent, await fullScan(client, gitVersion), 2000, changed);
      assert.deepEqual(batches.map((batch) => [batch.stats.objects, [...batch.stats.groups].sort()]), [[1, [...groups].sort()]], `${why}: ${JSON.stringify(batches.map((batch) => [batch.stats, batch.added.length, batch.removed.map(([, finding]) => finding.controlId)]))}`);
      const added = batches[0]!.added.length;
      batches.length = 0;
      return added;
    };
    await applyChange(cluster, { op: 'put', what: 'rolebinding', namespace: 'alpha', name: 'solo', role: 'cluster-admin', subject: 'default' });
    assert.ok((await expectBatch(['rbac'], 'a RoleBinding')) >= 1, 'the binding of cluster-admin to the default account is a new finding');
    // A new workload: its namespace's controls, and the cluster-wide ones (a new pod may be a peer's target).
    await applyChange(cluster, { op: 'put', what: 'deployment', namespace: 'beta', name: 'solo', privileged: true, app: 'web', serviceAccount: 'default', ignore: false });
    await expectBatch(['namespace:beta/network', 'namespace:beta/workloads', 'cluster'], 'a new Deployment');
    // The same workload changed in place (privilege, token mounting): its namespace's workload controls only.
    await applyChange(cluster, { op: 'patch', what: 'deployment', namespace: 'beta', name: 'solo', privileged: false, automount: false });
    await expectBatch(['namespace:beta/workloads'], 'a Deployment patched in place');
    // Its status only (what a controller writes all day): the object is judged again, no inventory group runs.
    const status = await cluster.request('admin', 'PATCH', '/apis/apps/v1/namespaces/beta/deployments/solo/status', { status: { observedGeneration: 7, replicas: 1, unavailableReplicas: 1 } });
    assert.equal(status.status, 200, status.text);
    await expectBatch([], 'a Deployment status update');
    // A namespace's labels: what cross-namespace peers select on, so its network controls and the cluster-wide ones.
    await applyChange(cluster, { op: 'label', what: 'namespace', namespace: 'alpha', team: 'red' });
    await expectBatch(['namespace:alpha/network', 'cluster'], 'a Namespace label');
  });
});
