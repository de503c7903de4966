/**
 * `kubeharden serve`'s live judgement against a real kube-apiserver: after any sequence of creates, updates and
 * deletes, the agent's findings and scores equal a fresh `kubeharden cluster` scan of the same state, and a change
 * re-judges only the object and the inventory group it feeds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ApiClient } from '../../src/cluster/api-client.js';
import { Agent, type Settled } from '../../src/serve/agent.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';
import { adminClient, agreeWithin, applyChange, changeArbitrary, fullScan, liveScanOptions, NAMESPACES, release } from '../support/serve-changes.js';

describe('kubeharden serve: live judgement equals a full scan (real API server)', { timeout: 600_000 }, () => {
  let cluster: Cluster | undefined;
  let skip: string | undefined;
  let client: ApiClient;
  let agent: Agent;
  let gitVersion: string;

  before(async () => {
    const started = await startCluster({ profile: 'insecure' });
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    cluster = started;
    for (const namespace of NAMESPACES) await cluster.createNamespace(namespace);
    client = await adminClient(cluster);
    gitVersion = cluster.version.gitVersion;
    agent = new Agent(client, { scanOptions: liveScanOptions(gitVersion), serverName: client.serverName, release: release(gitVersion), batchMs: 20 });
    await agent.start();
  });

  after(async () => {
    await agent?.stop();
    client?.close();
    await cluster?.stop();
  });

  it('after the first list, the findings and scores equal a full scan', async (t) => {
    if (skip) return t.skip(skip);
    const expected = await fullScan(client, gitVersion);
    assert.ok(expected.lines.length > 10, `the empty cluster has findings already (${expected.lines.length})`);
    await agreeWithin(agent, expected, 2000);
  });

  it('after random sequences of creates, updates and deletes, the findings and scores equal a full scan within 2 s', async (t) => {
    if (skip) return t.skip(skip);
    let compared = 0;
    let findings = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(changeArbitrary, { minLength: 1, maxLength: 8 }), async (changes) => {
        for (const change of changes) await applyChange(cluster!, change);
        const expected = await fullScan(client, gitVersion);
        await agreeWithin(agent, expected, 2000);
        compared++;
        findings = Math.max(findings, expected.lines.length);
      }),
      { numRuns: 12, seed: 20261203, endOnFailure: true },
    );
    assert.equal(compared, 12);
    t.diagnostic(`12 sequences compared; up to ${findings} findings`);
  });

  it('a RoleBinding change re-judges one object and the RBAC controls only; a Deployment change the other inventory controls only', async (t) => {
    if (skip) return t.skip(skip);
    const batches: Settled[] = [];
    agent.onSettled((event) => batches.push(event));
    await applyChange(cluster!, { op: 'put', what: 'rolebinding', namespace: 'alpha', name: 'solo', role: 'cluster-admin', subject: 'default' });
    await agreeWithin(agent, await fullScan(client, gitVersion), 2000);
    assert.deepEqual(batches.map((batch) => [batch.stats.objects, batch.stats.groups]), [[1, ['rbac']]], JSON.stringify(batches.map((batch) => [batch.stats, batch.added.length, batch.removed.map(([, finding]) => finding.controlId)])));
    assert.ok(batches[0]!.added.length >= 1, 'the binding of cluster-admin to the default account is a new finding');
    batches.length = 0;
    await applyChange(cluster!, { op: 'put', what: 'deployment', namespace: 'beta', name: 'solo', privileged: true, app: 'web', serviceAccount: 'default', ignore: false });
    await agreeWithin(agent, await fullScan(client, gitVersion), 2000);
    assert.deepEqual(batches.map((batch) => [batch.stats.objects, batch.stats.groups]), [[1, ['rest']]]);
  });
});
