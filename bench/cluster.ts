/**
 * The cluster pass of `npm run bench`: a real kube-apiserver and etcd (the test harness) with 10,000 objects,
 * scanned by `kubeharden cluster` in its own process. Reports wall time, API requests and peak RSS.
 *
 *   npm run bench -- --cluster-only --cluster-objects 10000
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../test/support/cluster-harness.js';

const projectRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const worker = resolve(projectRoot, 'dist', 'bench', 'cluster-worker.js');

/** Per namespace: a realistic mix of what a cluster holds (Deployments without pods: the harness has no controllers). */
export const MIX = [
  { plural: 'deployments', group: '/apis/apps/v1', count: 100 },
  { plural: 'services', group: '/api/v1', count: 100 },
  { plural: 'configmaps', group: '/api/v1', count: 100 },
  { plural: 'serviceaccounts', group: '/api/v1', count: 99 },
  { plural: 'secrets', group: '/api/v1', count: 50 },
  { plural: 'roles', group: '/apis/rbac.authorization.k8s.io/v1', count: 25 },
  { plural: 'rolebindings', group: '/apis/rbac.authorization.k8s.io/v1', count: 25 },
] as const;
const PER_NAMESPACE = MIX.reduce((sum, kind) => sum + kind.count, 0) + 1; // + the default ServiceAccount

export function objectFor(plural: string, namespace: string, index: number): object {
  const name = `${plural.slice(0, -1)}-${index}`;
  const metadata = { name, namespace, labels: { app: `app-${index}` } };
  switch (plural) {
    case 'deployments':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          selector: { matchLabels: { app: `app-${index}` } },
          template: {
            metadata: { labels: { app: `app-${index}` } },
            spec: { containers: [{ name: 'app', image: `registry.example.com/app:${index % 7}.0`, ...(index % 5 === 0 ? { securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false } } : {}) }] },
          },
        },
      };
    case 'services':
      return { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: index % 10 === 0 ? 'NodePort' : 'ClusterIP', selector: { app: `app-${index}` }, ports: [{ port: 80 }] } };
    case 'configmaps':
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'app.properties': `mode=production\nworkers=${index % 8}\n`, ...(index % 20 === 0 ? { DB_PASSWORD: 'hunter2' } : {}) } };
    case 'serviceaccounts':
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata };
    case 'secrets':
      return { apiVersion: 'v1', kind: 'Secret', metadata, stringData: { token: `value-${index}` } };
    case 'roles':
      return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules: [{ apiGroups: [''], resources: index % 5 === 0 ? ['secrets'] : ['configmaps'], verbs: ['get', 'list'] }] };
    default:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${index}` },
        subjects: [{ kind: 'ServiceAccount', name: `serviceaccount-${index}`, namespace }],
      };
  }
}

export async function seed(cluster: Cluster, objects: number): Promise<number> {
  const namespaces = Math.max(1, Math.round(objects / PER_NAMESPACE));
  const requests: (() => Promise<void>)[] = [];
  for (let n = 0; n < namespaces; n++) {
    const namespace = `bench-${n}`;
    await cluster.createNamespace(namespace);
    for (const { plural, group, count } of MIX) {
      for (let index = 0; index < count; index++) {
        requests.push(async () => {
          const response = await cluster.request('admin', 'POST', `${group}/namespaces/${namespace}/${plural}`, objectFor(plural, namespace, index));
          if (response.status !== 201) throw new Error(`${plural}: HTTP ${response.status} ${response.text.slice(0, 200)}`);
        });
      }
    }
  }
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < requests.length) await (requests[next++] as () => Promise<void>)();
  }));
  return namespaces * PER_NAMESPACE;
}

export async function benchCluster(objects: number): Promise<void> {
  const cluster = await startCluster({ profile: 'hardened' });
  if ('skip' in cluster) {
    console.log(`\ncluster scan: skipped (${cluster.skip})`);
    return;
  }
  try {
    const seedStart = Date.now();
    const created = await seed(cluster, objects);
    console.log(`\ncluster scan: a real kube-apiserver v1.37.2 + etcd holding ${created} namespaced objects (created in ${((Date.now() - seedStart) / 1000).toFixed(1)} s)`);
    const runs = [];
    for (let run = 0; run < 3; run++) {
      const result = spawnSync(process.execPath, [worker, cluster.adminKubeconfig], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (result.status !== 0) throw new Error(`cluster worker failed: ${result.stderr}`);
      runs.push(JSON.parse(result.stdout) as { seconds: number; requests: number; listRequests: number; objects: number; findings: number; maxRssMb: number; notAssessed: number });
    }
    runs.sort((a, b) => a.seconds - b.seconds);
    const median = runs[1] as (typeof runs)[number];
    console.log('wall s   objects  objects/s  API requests  list requests  findings  peak RSS MB');
    console.log(
      [median.seconds.toFixed(2).padEnd(8), String(median.objects).padEnd(8), Math.round(median.objects / median.seconds).toString().padEnd(10), String(median.requests).padEnd(13), String(median.listRequests).padEnd(14), String(median.findings).padEnd(9), median.maxRssMb.toFixed(0)].join(' '),
    );
  } finally {
    await cluster.stop();
  }
}

const sizeIndex = process.argv.indexOf('--cluster-objects');
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await benchCluster(sizeIndex === -1 ? 10_000 : Number(process.argv[sizeIndex + 1]));
}
