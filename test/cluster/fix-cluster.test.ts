/**
 * `kubeharden fix --cluster` on a real API server: it prints one `kubectl patch --type=json` per workload (the
 * Deployment, not its ReplicaSet or Pods), makes only GET requests (the API server's audit log says so, for a user
 * who could write), and its patches, applied by the admin, clear every finding it reported fixed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Cluster } from '../support/cluster-harness.js';
import { useCluster } from '../support/use-cluster.js';
import { runCliAsync, tempTree } from '../support/cli-process.js';

const NAMESPACE = 'shop';
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`;

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000', ports: [{ containerPort: 80 }] }] },
};

interface Report {
  findings: { controlId: string; resource: { kind: string; name: string; namespace: string | null } }[];
}

/** `kubectl patch RESOURCE 'NAME' -n 'NS' --type=json -p 'JSON'` read back as the shell would. */
function parsePatchLine(line: string): { resource: string; name: string; namespace: string; ops: { op: string; path: string; value: unknown }[] } {
  const match = /^kubectl patch (\S+) '([^']*)' -n '([^']*)' --type=json -p '(.*)'$/.exec(line);
  assert.ok(match, `not a kubectl patch command: ${line}`);
  return { resource: match[1] as string, name: match[2] as string, namespace: match[3] as string, ops: JSON.parse((match[4] as string).replaceAll(`'\\''`, `'`)) };
}

async function deploymentFindings(cluster: Cluster, args: readonly string[] = []): Promise<string[]> {
  const result = await runCliAsync(['cluster', '--kubeconfig', cluster.kubeconfig('fixer'), '-n', NAMESPACE, '--framework', 'pss-restricted', '--format', 'json', '--fail-on', 'none', ...args]);
  const report = JSON.parse(result.stdout) as Report;
  return report.findings.filter((finding) => finding.resource.kind === 'Deployment' && finding.resource.name === 'web').map((finding) => finding.controlId).sort();
}

describe('kubeharden fix --cluster against a real API server', { timeout: 300_000 }, () => {
  // fixer may write everything: only kubeharden's own restraint keeps the cluster unchanged.
  const shared = useCluster({ profile: 'hardened', users: { fixer: { groups: ['system:masters'] } } }, async (cluster) => {
    await cluster.createNamespace(NAMESPACE);
    const deployment = await cluster.request('admin', 'POST', DEPLOYMENTS, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NAMESPACE }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template } });
    assert.equal(deployment.status, 201, deployment.text);
    // No controller manager runs: make the ReplicaSet and Pod a Deployment would own, to see they are fixed through it.
    const uid = (deployment.json as { metadata: { uid: string } }).metadata.uid;
    const replicaSet = await cluster.request('admin', 'POST', `/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: NAMESPACE, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid, controller: true }] },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template },
    });
    assert.equal(replicaSet.status, 201, replicaSet.text);
    const rsUid = (replicaSet.json as { metadata: { uid: string } }).metadata.uid;
    const pod = await cluster.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1-a', namespace: NAMESPACE, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rsUid, controller: true }] },
      spec: template.spec,
    });
    assert.equal(pod.status, 201, pod.text);
  });

  it('prints the Deployment\'s patch with GETs only; applied, the findings it reported fixed are gone', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const findingsBefore = await deploymentFindings(cluster);
    assert.ok(findingsBefore.length > 0, 'the Deployment has findings to fix');
    const resourceVersion = async () => ((await cluster.request('admin', 'GET', `${DEPLOYMENTS}/web`)).json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const versionBefore = await resourceVersion();

    const result = await runCliAsync(['fix', '--cluster', '--kubeconfig', cluster.kubeconfig('fixer'), '-n', NAMESPACE, '--framework', 'pss-restricted']);
    assert.equal(result.code, 0, result.stderr);
    t.diagnostic(`${result.stdout}${result.stderr}`);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one workload, fixed through the Deployment only:\n${result.stdout}`);
    const patch = parsePatchLine(lines[0] as string);
    assert.deepEqual({ resource: patch.resource, name: patch.name, namespace: patch.namespace }, { resource: 'deployments.apps', name: 'web', namespace: NAMESPACE });
    const reportedFixed = [...result.stderr.matchAll(/^fixed \((?:safe|review)\): (\S+) Deployment\/shop\/web /gm)].map((match) => match[1] as string).sort();
    assert.deepEqual([...new Set(reportedFixed)], [...new Set(findingsBefore)], result.stderr);

    // Read-only: every request of fixer (this test's own checks use admin) was a read, and nothing changed.
    const verbs = readFileSync(cluster.auditLogPath, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { user: { username: string }; verb: string; stage: string })
      .filter((event) => event.user.username === 'fixer');
    assert.ok(verbs.length > 0, 'the audit log shows the requests of fix --cluster');
    assert.deepEqual([...new Set(verbs.map((event) => event.verb))].filter((verb) => verb !== 'get' && verb !== 'list'), []);
    assert.equal(await resourceVersion(), versionBefore, 'fix --cluster changed nothing');

    // --output-dir: the same patch as a file per workload, and the command that applies it.
    const dir = tempTree(t, 'fix-cluster');
    const written = await runCliAsync(['fix', '--cluster', '--kubeconfig', cluster.kubeconfig('fixer'), '-n', NAMESPACE, '--framework', 'pss-restricted', '--output-dir', dir]);
    assert.equal(written.code, 0, written.stderr);
    const file = join(dir, NAMESPACE, 'deployments.apps', 'web.json');
    assert.equal(written.stdout, `kubectl patch deployments.apps 'web' -n 'shop' --type=json --patch-file '${file}'\n`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), patch.ops);

    const applied = await cluster.request('admin', 'PATCH', `${DEPLOYMENTS}/web`, patch.ops);
    assert.equal(applied.status, 200, applied.text);
    assert.deepEqual(await deploymentFindings(cluster), [], 'no finding reported fixed is left');
    // A second run finds nothing left to patch.
    const again = await runCliAsync(['fix', '--cluster', '--kubeconfig', cluster.kubeconfig('fixer'), '-n', NAMESPACE, '--framework', 'pss-restricted']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
  });

  it('prints a bare Pod\'s operations as a comment: the API server refuses them', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    await cluster.createNamespace('solo');
    const pod = await cluster.request('admin', 'POST', '/api/v1/namespaces/solo/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: 'solo' }, spec: template.spec });
    assert.equal(pod.status, 201, pod.text);
    const result = await runCliAsync(['fix', '--cluster', '--kubeconfig', cluster.kubeconfig('fixer'), '-n', 'solo', '--framework', 'pss-restricted']);
    assert.equal(result.code, 0, result.stderr);
    const match = /^# a Pod's spec cannot be patched; recreate solo\/lonely with: (.*)\n$/.exec(result.stdout);
    assert.ok(match, result.stdout);
    const refused = await cluster.request('admin', 'PATCH', '/api/v1/namespaces/solo/pods/lonely?dryRun=All', JSON.parse(match[1] as string));
    assert.equal(refused.status, 422, refused.text);
  });
});
