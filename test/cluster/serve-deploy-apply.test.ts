/**
 * The agent's deployment files applied to a real API server (PodSecurity admission on, as the hardened profile runs
 * it), with the real kubectl and helm: every object is accepted with strict field validation and without a single
 * warning, and the agent's pod, created as its Deployment would create it, is admitted by the namespace's
 * `restricted` level. A privileged copy of the same pod is refused, so the admission check is really on.
 * (test/serve/serve-deploy.test.ts scans the same files with kubeharden itself.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { onPath } from '../../src/render/tools.js';
import type { Cluster } from '../support/cluster-harness.js';
import { goToolBinary } from '../support/go-tool.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { useCluster } from '../support/use-cluster.js';

const MANIFESTS = ['kubeharden-reader.yaml', 'kubeharden-agent-rbac.yaml', 'kubeharden-agent-policyreports.yaml', 'kubeharden-agent.yaml'].map((file) => join(PROJECT_ROOT, 'deploy', file));
const CHART = join(PROJECT_ROOT, 'deploy', 'chart', 'kubeharden');
const kubectl = onPath('kubectl');
const helm = goToolBinary('helm');
const missing = kubectl === undefined ? 'kubectl is not on PATH' : typeof helm === 'string' ? undefined : helm.missing;

type PodTemplate = { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
type Doc = { kind: string; metadata: { name: string; namespace?: string }; spec?: { template?: PodTemplate } };

/** `kubectl apply -f FILE`, as a user applies it: its exit code, and stderr, where kubectl prints the server's warnings. */
function apply(cluster: Cluster, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(kubectl as string, ['--kubeconfig', cluster.adminKubeconfig, 'apply', '--validate=strict', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The pod the Deployment's ReplicaSet would create, created with dryRun=All: what PodSecurity admission answers. */
async function admitPod(cluster: Cluster, namespace: string, template: PodTemplate, change?: (pod: { spec: { containers: Record<string, unknown>[] } }) => void): Promise<{ status: number; text: string }> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kubeharden-admission-check', labels: template.metadata?.labels ?? {} }, spec: structuredClone(template.spec) };
  change?.(pod);
  const response = await cluster.request('admin', 'POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All&fieldValidation=Strict`, pod);
  return { status: response.status, text: response.text };
}

function deploymentIn(docs: readonly Doc[]): Doc & { spec: { template: PodTemplate } } {
  const deployment = docs.find((doc) => doc.kind === 'Deployment');
  assert.ok(deployment?.spec?.template, 'a Deployment with a pod template');
  return deployment as Doc & { spec: { template: PodTemplate } };
}

const privileged = (pod: { spec: { containers: Record<string, unknown>[] } }) => {
  pod.spec.containers[0]!['securityContext'] = { ...(pod.spec.containers[0]!['securityContext'] as object), privileged: true, allowPrivilegeEscalation: true };
};

describe('deploy/ applied to a real API server with PodSecurity admission', { skip: missing ?? false }, () => {
  const shared = useCluster({ profile: 'hardened' });

  it('the manifests apply with strict validation and no warning, and the agent pod is admitted as restricted (a privileged one is not)', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const applied = apply(cluster, ...MANIFESTS.flatMap((file) => ['-f', file]));
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(applied.stderr, '', 'no warning from the API server or kubectl');
    assert.match(applied.stdout, /deployment\.apps\/kubeharden created/);
    const namespace = await cluster.request('admin', 'GET', '/api/v1/namespaces/kubeharden');
    assert.equal((namespace.json as { metadata: { labels: Record<string, string> } }).metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');

    const docs = MANIFESTS.flatMap((file) => yaml.loadAll(readFileSync(file, 'utf8')) as Doc[]).filter((doc) => doc !== null);
    const { template } = deploymentIn(docs).spec;
    const admitted = await admitPod(cluster, 'kubeharden', template);
    assert.equal(admitted.status, 201, admitted.text);
    const refused = await admitPod(cluster, 'kubeharden', template, privileged);
    assert.equal(refused.status, 403, refused.text);
    assert.match(String((JSON.parse(refused.text) as { message?: string }).message), /violates PodSecurity "restricted:latest": privileged/);
  });

  it('the chart, rendered by helm into a namespace labelled restricted, applies with no warning and its pod is admitted', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    await cluster.createNamespace('kubeharden-chart', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    const rendered = spawnSync(helm as string, ['template', 'kubeharden', CHART, '--namespace', 'kubeharden-chart', '--set', 'clusterName=chart-test'], { encoding: 'utf8' });
    assert.equal(rendered.status, 0, rendered.stderr);
    const file = join(tempDir('chart-apply', t), 'chart.yaml');
    writeFileSync(file, rendered.stdout);
    const applied = apply(cluster, '-n', 'kubeharden-chart', '-f', file);
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(applied.stderr, '', 'no warning from the API server or kubectl');
    assert.match(applied.stdout, /deployment\.apps\/kubeharden created/);

    const { template } = deploymentIn((yaml.loadAll(rendered.stdout) as Doc[]).filter((doc) => doc !== null)).spec;
    const admitted = await admitPod(cluster, 'kubeharden-chart', template);
    assert.equal(admitted.status, 201, admitted.text);
    const refused = await admitPod(cluster, 'kubeharden-chart', template, privileged);
    assert.equal(refused.status, 403, refused.text);
  });
});
