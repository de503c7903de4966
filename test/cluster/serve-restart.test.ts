/**
 * The agent survives its API server going away: a kube-apiserver restart (watches cut, requests refused, then a
 * fresh watch cache that answers 410 Gone to the agent's old resourceVersions, so it lists again). Afterwards the
 * findings equal a full scan, including changes made while the agent was cut off, and the history has each open
 * finding once.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ApiClient } from '../../src/cluster/api-client.js';
import { Agent } from '../../src/serve/agent.js';
import { HistorySink } from '../../src/serve/history-sink.js';
import { openHistory } from '../../src/serve/store/open-history.js';
import type { History } from '../../src/serve/store/history.js';
import { startApiServer, stopApiServer } from '../support/apiserver-restart.js';
import type { ManagedProcess } from '../support/cluster-process.js';
import { adminClient, agreeWithin, applyChange, fullScan, liveScanOptions, release } from '../support/serve-changes.js';
import { tempDir } from '../support/temp-dir.js';
import { useCluster } from '../support/use-cluster.js';

describe('kubeharden serve survives an API server restart and 410 Gone', { timeout: 300_000 }, () => {
  let client: ApiClient;
  let agent: Agent;
  let history: History;
  let restarted: ManagedProcess | undefined;

  const shared = useCluster({ profile: 'insecure' }, async (cluster, onStop) => {
    // The API server a test started again is the cluster's no longer: stopped last, before the cluster (its etcd).
    onStop(() => restarted?.stop());
    for (const namespace of ['alpha', 'beta']) await cluster.createNamespace(namespace);
    await applyChange(cluster, { op: 'put', what: 'deployment', namespace: 'alpha', name: 'a', privileged: true, app: 'web', serviceAccount: 'default', ignore: false });
    await applyChange(cluster, { op: 'put', what: 'rolebinding', namespace: 'beta', name: 'b', role: 'edit', subject: 'default' });
    history = await openHistory(`sqlite:${join(tempDir('restart-history'), 'history.db')}`);
    onStop(() => history.close());
    client = await adminClient(cluster);
    onStop(() => client.close());
    const gitVersion = cluster.version.gitVersion;
    agent = new Agent(client, { scanOptions: liveScanOptions(gitVersion), serverName: client.serverName, release: release(gitVersion), batchMs: 20, watch: { minBackoffMs: 200, maxBackoffMs: 1000 } });
    onStop(() => agent.stop());
    agent.addSink(new HistorySink(history, 'restart'));
    await agent.start();
  });

  it('after a restart with changes made before the agent reconnects, it relists (410 Gone) and equals a full scan; no finding is lost or doubled', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const gitVersion = cluster.version.gitVersion;
    await agreeWithin(agent, await fullScan(client, gitVersion), 2000);
    const relistsBefore = agent.watches.reduce((sum, watch) => sum + watch.relists, 0);
    await stopApiServer(cluster);
    restarted = await startApiServer(cluster);
    // Changes the agent can only learn from a new list: its watches resume from versions older than the new cache.
    await applyChange(cluster, { op: 'delete', what: 'deployment', namespace: 'alpha', name: 'a' });
    await applyChange(cluster, { op: 'put', what: 'deployment', namespace: 'beta', name: 'c', privileged: true, app: 'db', serviceAccount: 'ghost', ignore: false });
    await applyChange(cluster, { op: 'put', what: 'networkpolicy', namespace: 'alpha', name: 'deny', deny: true, app: 'web' });
    const took = await agreeWithin(agent, await fullScan(client, gitVersion), 15_000);
    const relists = agent.watches.reduce((sum, watch) => sum + watch.relists, 0) - relistsBefore;
    t.diagnostic(`caught up ${took} ms after the last change; ${relists} lists made again after 410 Gone`);
    assert.ok(relists > 0, 'the new API server answered 410 Gone to at least one old resourceVersion');
    const open = await history.findings({ cluster: 'restart', limit: 100_000 });
    assert.equal(open.length, agent.findings().size, 'every current finding is open in the history');
    assert.equal(new Set(open.map((row) => row.key)).size, open.length, 'no open finding twice');
    const privileged = (await history.findings({ cluster: 'restart', controlId: 'POD-NO-PRIVILEGED', open: false })).map((row) => [row.namespace, row.name, row.resolvedAt === null]);
    assert.deepEqual(privileged.sort(), [['alpha', 'a', false], ['beta', 'c', true]]);
  });

  it('a second restart without any change: nothing opened or resolved', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const before = await history.findings({ cluster: 'restart', open: false, limit: 100_000 });
    await stopApiServer(cluster, restarted);
    restarted = await startApiServer(cluster);
    await agreeWithin(agent, await fullScan(client, cluster.version.gitVersion), 15_000);
    const afterRestart = await history.findings({ cluster: 'restart', open: false, limit: 100_000 });
    assert.deepEqual(afterRestart.map((row) => [row.key, row.resolvedAt]).sort(), before.map((row) => [row.key, row.resolvedAt]).sort());
  });
});
