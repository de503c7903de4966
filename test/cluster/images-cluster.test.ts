/**
 * `kubeharden images --cluster` against a real kube-apiserver: the workloads created in the cluster and the same
 * objects written as manifests list the same images, workloads and containers.
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

const OBJECTS = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { initContainers: [{ name: 'migrate', image: 'registry.example.com/shop/migrate:2.1' }], containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
  {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: 'registry.example.com/shop/migrate:2.1' }] } } } } },
  },
];

const PATHS: Record<string, string> = { Deployment: '/apis/apps/v1/namespaces/shop/deployments', Pod: '/api/v1/namespaces/shop/pods', CronJob: '/apis/batch/v1/namespaces/shop/cronjobs' };

function images(args: readonly string[]) {
  const result = spawnSync(CLI, ['images', ...args, '-o', 'json'], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const json = result.stdout ? (JSON.parse(result.stdout) as { images: { image: string; workloads: { kind: string; namespace: string; name: string; container: string; containerType: string }[] }[] }) : undefined;
  return { code: result.status, stderr: result.stderr, rows: json?.images.map((image) => [image.image, image.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name} ${w.container} ${w.containerType}`)]) };
}

describe('images --cluster on a real API server', { timeout: 180_000 }, () => {
  const shared = useCluster({ profile: 'insecure' }, async (cluster) => {
    await cluster.createNamespace('shop');
    for (const object of OBJECTS) {
      const response = await cluster.request('admin', 'POST', PATHS[object.kind]!, object);
      assert.equal(response.status, 201, response.text);
    }
  });

  it('lists the same images and workloads as the same objects in manifests', (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const dir = tempDir('images-cluster', t);
    const manifests = join(dir, 'objects.yaml');
    writeFileSync(manifests, OBJECTS.map((object) => yaml.dump(object)).join('---\n'));
    const fromFiles = images([manifests]);
    const fromCluster = images(['--cluster', '--kubeconfig', cluster.adminKubeconfig]);
    assert.equal(fromCluster.code, 0, fromCluster.stderr);
    assert.deepEqual(fromCluster.rows, fromFiles.rows);
    assert.deepEqual(fromCluster.rows, [
      ['nginx:1.25', ['Deployment shop/web web regular', 'Pod shop/debug app regular']],
      ['registry.example.com/shop/migrate:2.1', ['CronJob shop/report report regular', 'Deployment shop/web migrate init']],
    ]);
  });
});
