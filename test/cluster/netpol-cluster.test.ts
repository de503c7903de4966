/**
 * `kubeharden netpol reach --cluster` against a real kube-apiserver: the same namespaces, pods and NetworkPolicies
 * created in the cluster and written as manifests must give the same connectivity and openings.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { useCluster } from '../support/use-cluster.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const pod = (namespace: string, name: string, labels: Record<string, string>, port: number) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels },
  spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'registry.example.com/app:1', ports: [{ name: 'http', containerPort: port }] }] },
});
const OBJECTS = [
  pod('shop', 'web', { app: 'web' }, 8080),
  pod('shop', 'db', { app: 'db' }, 5432),
  pod('payments', 'api', { app: 'api' }, 9000),
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db-from-web', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api-from-shop', namespace: 'payments' },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], ports: [{ port: 'http' }] }] },
  },
];

function reach(args: readonly string[]) {
  const result = spawnSync(CLI, ['netpol', 'reach', ...args, '--format', 'json'], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, json: result.stdout ? (JSON.parse(result.stdout) as { connections: unknown[]; openings: unknown[] }) : undefined, stderr: result.stderr };
}

describe('netpol reach --cluster on a real API server', { timeout: 180_000 }, () => {
  const shared = useCluster({ profile: 'insecure' }, async (cluster) => {
    for (const namespace of ['shop', 'payments']) await cluster.createNamespace(namespace);
    for (const object of OBJECTS) {
      const plural = object.kind === 'Pod' ? 'pods' : 'networkpolicies';
      const group = object.kind === 'Pod' ? '/api/v1' : '/apis/networking.k8s.io/v1';
      const response = await cluster.request('admin', 'POST', `${group}/namespaces/${object.metadata.namespace}/${plural}`, object);
      assert.equal(response.status, 201, response.text);
    }
  });

  it('gives the connectivity and openings the same objects give as manifests', (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const dir = tempDir('netpol-cluster');
    const manifests = join(dir, 'objects.yaml');
    const namespaces = ['shop', 'payments'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    writeFileSync(manifests, [...namespaces, ...OBJECTS].map((object) => yaml.dump(object)).join('---\n'));
    const fromFiles = reach([manifests]);
    const fromCluster = reach(['--cluster', '--kubeconfig', cluster.adminKubeconfig]);
    assert.ok(fromFiles.json && fromCluster.json, `${fromFiles.stderr}${fromCluster.stderr}`);
    assert.equal(fromCluster.code, fromFiles.code);
    // The cluster also holds kube-system and default, without pods: the same pods, so the same answer.
    assert.deepEqual(fromCluster.json.connections, fromFiles.json.connections);
    assert.deepEqual(fromCluster.json.openings, fromFiles.json.openings);
    const text = JSON.stringify(fromCluster.json.connections);
    assert.match(text, /shop\/web/);
    const explain = spawnSync(CLI, ['netpol', 'reach', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '--explain', 'payments/api->shop/db:5432'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.match(explain.stdout, /db-from-web/, explain.stdout + explain.stderr);
  });
});
