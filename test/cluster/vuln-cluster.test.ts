/**
 * `kubeharden vuln --cluster` end to end against a real kube-apiserver and the real distribution registry: a
 * Deployment in the cluster runs an image pushed to the registry, which is found, read and matched against the real
 * npm OSV records; and the cluster's own components — the API server's `/version` and the kubelet and kube-proxy
 * versions of Node objects (created through the API with their status, since the test cluster has no kubelets) —
 * are matched against the Kubernetes CVE feed's records in ../shared/vuln/k8s-cves/. The expected CVEs are read off
 * those records (each range quoted beside its node).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCliAsync } from '../support/cli-process.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';
import { assertMatchesSchema } from '../support/json-schemas.js';
import { image, layer, push } from '../support/oci-images.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { startRegistry, type Registry } from '../support/registry-harness.js';
import { tempDir } from '../support/temp-dir.js';
import { isSkipped, startSideBySide, useServers, type Skipped } from '../support/use-cluster.js';

const LOCK = JSON.stringify({
  name: 'web',
  version: '1.0.0',
  lockfileVersion: 3,
  packages: { '': { name: 'web', version: '1.0.0' }, 'node_modules/minimist': { version: '1.2.5' } },
});

/** The nodes made through the API, with the versions their (absent) kubelets would report. */
const NODES = [
  // kubelet 1.27.1: CVE-2023-2431 [1.27.0,1.27.2), CVE-2023-3676 and CVE-2023-3955 [1.27.0,1.27.5), CVE-2023-5528
  // [1.27.0,1.27.8), CVE-2024-5321 [1.27.0,1.27.16). kube-proxy 1.27.1: CVE-2020-8558 stops at 1.18.4, so none.
  { name: 'worker-1', kubeletVersion: 'v1.27.1', kubeProxyVersion: 'v1.27.1' },
  // The same release behind EKS's suffix; kube-proxy 1.18.3: CVE-2020-8558 [1.18.0,1.18.4).
  { name: 'worker-2', kubeletVersion: 'v1.27.1-eks-2f008fe', kubeProxyVersion: 'v1.18.3' },
  // kubelet 1.30.2: CVE-2024-5321 [1.30.0,1.30.3) only. No kube-proxy version (recent kubelets leave it empty).
  { name: 'worker-3', kubeletVersion: 'v1.30.2', kubeProxyVersion: '' },
  // kubelet 1.30.3: past every record.
  { name: 'worker-4', kubeletVersion: 'v1.30.3', kubeProxyVersion: '' },
];

interface JsonFinding {
  controlId: string;
  resource: { kind: string; namespace: string | null; name: string };
  field: string;
  severity: string;
  vulnerability: {
    id: string;
    package: { ecosystem: string; name: string; version: string };
    fixedVersion: string | null;
    image: string | null;
    component?: { name: string; gitVersion: string; nodes: string[] };
    priority: number;
    exposure: string[];
  };
}

interface ClusterAndRegistry {
  readonly cluster: Cluster;
  readonly registry: Registry;
  stop(): Promise<void>;
}

/** The API server and the registry of its workload's image, started side by side; or the first one's reason to skip. */
async function startClusterAndRegistry(): Promise<ClusterAndRegistry | Skipped> {
  const started = await startSideBySide([startRegistry('anonymous'), startCluster({ profile: 'insecure' })]);
  if (isSkipped(started)) return started;
  const [registry, cluster] = started;
  return {
    cluster,
    registry,
    async stop() {
      await cluster.stop();
      await registry.stop();
    },
  };
}

describe('vuln --cluster on a real API server and registry', { skip: needsShared, timeout: 240_000 }, () => {
  const shared = useServers(startClusterAndRegistry, async ({ cluster, registry }) => {
    await push(registry, 'shop/web', '1', [image([await layer([{ path: 'app/package-lock.json', content: LOCK }])])]);
    await cluster.createNamespace('shop');
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: `${registry.host}/shop/web:1` }] } } },
    };
    const created = await cluster.request('admin', 'POST', '/apis/apps/v1/namespaces/shop/deployments', deployment);
    assert.equal(created.status, 201, created.text);
    for (const node of NODES) {
      const posted = await cluster.request('admin', 'POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name } });
      assert.equal(posted.status, 201, posted.text);
      // A kubelet reports its versions in the status subresource; the main resource ignores status changes.
      const withStatus = { ...(posted.json as object), status: { nodeInfo: { kubeletVersion: node.kubeletVersion, kubeProxyVersion: node.kubeProxyVersion, machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '', operatingSystem: 'linux', architecture: 'amd64' } } };
      const put = await cluster.request('admin', 'PUT', `/api/v1/nodes/${node.name}/status`, withStatus);
      assert.equal(put.status, 200, put.text);
    }
  });

  it('finds the workload image in the registry, and the CVEs of the API server, kubelets and kube-proxies', async (t) => {
    const servers = shared.ready(t);
    if (!servers) return;
    const { cluster, registry } = servers;
    const dir = tempDir('vuln-cluster', t);
    const result = await runCliAsync([
      'vuln', '--cluster', '--kubeconfig', cluster.adminKubeconfig,
      '--db', sharedPath('vuln', 'advisories', 'npm'), '--db', sharedPath('vuln', 'k8s-cves', 'cve-feed-osv', 'vulns'),
      '--cache-dir', dir, '-o', 'json', '--fail-on', 'none',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[]; errors: unknown[] };
    assertMatchesSchema('report', report);
    assert.deepEqual(report.errors, []);
    const images = report.findings.filter((f) => f.controlId === 'VULN-IMAGE-PACKAGE');
    assert.deepEqual(
      images.map((f) => [f.resource.kind, f.resource.namespace, f.resource.name, f.vulnerability.id, f.vulnerability.package.name, f.vulnerability.package.version, f.vulnerability.fixedVersion, f.vulnerability.image]),
      [['Deployment', 'shop', 'web', 'GHSA-xvch-5gv4-984h', 'minimist', '1.2.5', '1.2.6', `${registry.host}/shop/web:1`]],
    );
    const components = report.findings.filter((f) => f.controlId === 'VULN-K8S-COMPONENT');
    const rows = components.map((f) => [f.resource.kind, f.resource.name, f.field, f.vulnerability.component?.name, f.vulnerability.component?.gitVersion, f.vulnerability.id, f.vulnerability.fixedVersion]);
    const kubelet = (node: string, gitVersion: string, cves: [string, string][]) => cves.map(([id, fixed]) => ['Node', node, 'status.nodeInfo.kubeletVersion', 'kubelet', gitVersion, id, fixed]);
    const at1271: [string, string][] = [['CVE-2023-2431', '1.27.2'], ['CVE-2023-3676', '1.27.5'], ['CVE-2023-3955', '1.27.5'], ['CVE-2023-5528', '1.27.8'], ['CVE-2024-5321', '1.27.16']];
    assert.deepEqual(new Set(rows), new Set([
      ...kubelet('worker-1', 'v1.27.1', at1271),
      ...kubelet('worker-2', 'v1.27.1-eks-2f008fe', at1271),
      ...kubelet('worker-3', 'v1.30.2', [['CVE-2024-5321', '1.30.3']]),
      ['Node', 'worker-2', 'status.nodeInfo.kubeProxyVersion', 'kube-proxy', 'v1.18.3', 'CVE-2020-8558', '1.18.4'],
    ]));
    assert.equal(rows.length, 12);
    // The test API server is v1.37.2 (test/cluster/apiserver): later than every record's last fixed release.
    assert.equal(cluster.version.gitVersion, 'v1.37.2');
    assert.equal(components.filter((f) => f.vulnerability.component?.name === 'kube-apiserver').length, 0);
    const cve2431 = components.find((f) => f.vulnerability.id === 'CVE-2023-2431' && f.resource.name === 'worker-1')!;
    assert.deepEqual(cve2431.vulnerability.package, { ecosystem: 'kubernetes', name: 'k8s.io/kubelet', version: '1.27.1', path: null, purl: null });
    assert.deepEqual(cve2431.vulnerability.component?.nodes, ['worker-1']);
    assert.equal(cve2431.vulnerability.image, null);
    assert.deepEqual(cve2431.vulnerability.exposure, ["the cluster's own kubelet"]);
  });
});
