/**
 * `kubeharden serve` as it runs in a pod: no kubeconfig, the API server from KUBERNETES_SERVICE_HOST/PORT, and the
 * service account's token and CA from its folder (a real token from the API server's TokenRequest, for the
 * ServiceAccount that deploy/ makes), with only the roles deploy/ grants. Against a real kube-apiserver it lists,
 * watches and judges the cluster as a full admin scan does, follows a change within 2 s, and the API server's audit
 * log shows the agent's requests made as that ServiceAccount, none refused.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiClient } from '../../src/cluster/api-client.js';
import { onPath } from '../../src/render/tools.js';
import { Agent } from '../../src/serve/agent.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { adminClient, agreeWithin, applyChange, fullScan, liveScanOptions, NAMESPACES, release } from '../support/serve-changes.js';
import { tempDir } from '../support/temp-dir.js';
import { useCluster } from '../support/use-cluster.js';

const ROLES = ['kubeharden-reader.yaml', 'kubeharden-agent-rbac.yaml'].map((file) => join(PROJECT_ROOT, 'deploy', file));
const SERVICE_ACCOUNT = 'system:serviceaccount:kubeharden:kubeharden';
const kubectl = onPath('kubectl');

describe('kubeharden serve with the in-cluster service account (real API server, the roles of deploy/)', { skip: kubectl === undefined ? 'kubectl is not on PATH' : false, timeout: 300_000 }, () => {
  const shared = useCluster({ profile: 'hardened' }, async (cluster) => {
    for (const namespace of NAMESPACES) await cluster.createNamespace(namespace);
    const applied = spawnSync(kubectl as string, ['--kubeconfig', cluster.adminKubeconfig, 'apply', ...ROLES.flatMap((file) => ['-f', file])], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(applied.status, 0, applied.stderr);
  });

  it('lists, watches and judges as a full scan does, follows a change within 2 s, and asks as its ServiceAccount alone', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    // What the kubelet mounts: a bound token of the ServiceAccount, and the cluster's CA.
    const requested = await cluster.request('admin', 'POST', '/api/v1/namespaces/kubeharden/serviceaccounts/kubeharden/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
    assert.equal(requested.status, 201, requested.text);
    const token = (requested.json as { status: { token: string } }).status.token;
    const mounted = tempDir('serviceaccount', t);
    writeFileSync(join(mounted, 'token'), token);
    writeFileSync(join(mounted, 'ca.crt'), cluster.caPem);
    const server = new URL(cluster.url);
    // No KUBECONFIG, and a HOME without ~/.kube/config: the in-cluster service account is all there is.
    const env = { KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port, HOME: tempDir('home', t) };
    const client = await ApiClient.connect({ env, inClusterDir: mounted, timeoutMs: 30_000, concurrency: 8 });
    t.after(() => client.close());
    const admin = await adminClient(cluster);
    t.after(() => admin.close());
    const gitVersion = cluster.version.gitVersion;
    await applyChange(cluster, { op: 'put', what: 'deployment', namespace: NAMESPACES[0]!, name: 'web', privileged: false, app: 'web', serviceAccount: 'default', ignore: false });

    const agent = new Agent(client, { scanOptions: liveScanOptions(gitVersion), serverName: client.serverName, release: release(gitVersion), batchMs: 20 });
    t.after(() => agent.stop());
    await agent.start();
    assert.ok(agent.isReady);
    const first = await fullScan(admin, gitVersion);
    assert.ok(first.lines.length > 10, `findings in the cluster (${first.lines.length})`);
    await agreeWithin(agent, first, 2000);

    await applyChange(cluster, { op: 'patch', what: 'deployment', namespace: NAMESPACES[0]!, name: 'web', privileged: true, automount: false });
    const changed = Date.now();
    const after = await fullScan(admin, gitVersion);
    assert.ok(after.lines.some((line) => line.includes('POD-NO-PRIVILEGED')), 'the change made a finding');
    await agreeWithin(agent, after, 2000, changed);
    assert.equal(agent.errors, 0);

    // The agent's requests went as the ServiceAccount (the test's own full scans as admin), and the shipped roles
    // let every one through.
    const events = readFileSync(cluster.auditLogPath, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { stage: string; verb: string; user: { username: string }; userAgent?: string; requestURI: string; responseStatus?: { code: number } });
    const ours = events.filter((event) => event.userAgent === 'kubeharden');
    assert.deepEqual([...new Set(ours.map((event) => event.user.username))].sort(), ['admin', SERVICE_ACCOUNT]);
    const agents = ours.filter((event) => event.user.username === SERVICE_ACCOUNT);
    assert.ok(agents.filter((event) => event.verb === 'list').length > 10, `it listed every kind (${agents.length} requests)`);
    assert.ok(agents.some((event) => event.verb === 'watch'), 'it watched');
    // (A kind the cluster does not serve, Cilium's or Istio's, answers 404: not a refusal.)
    const refused = agents.filter((event) => event.stage === 'ResponseComplete' && [401, 403].includes(event.responseStatus?.code ?? 0));
    assert.deepEqual(refused.map((event) => `${event.verb} ${event.requestURI} ${event.responseStatus?.code}`), []);
  });
});
