/**
 * `kubeharden cluster` and `kubeharden node` against a real kube-apiserver and etcd (test/support/cluster-harness.ts):
 * the shipped least-privilege role, the read-only proof from the API server's own audit log, partial access, and
 * an insecure and a hardened API server told apart by both commands.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { Report } from '../../src/report/report.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';
import { useCluster } from '../support/use-cluster.js';
import { runCliAsync, type CliResult } from '../support/cli-process.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

/** Logs Secrets with their responses, so the test can see exactly what the scanner received; the rest at Metadata. */
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: RequestResponse
    resources: [{ group: "", resources: [secrets] }]
  - level: Metadata
`;

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(args, env);
}

const PLURALS: Record<string, string> = { Namespace: 'namespaces', ServiceAccount: 'serviceaccounts', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings' };

/** Applies deploy/kubeharden-reader.yaml exactly as shipped, as the cluster admin. */
async function applyReaderRole(cluster: Cluster): Promise<void> {
  const documents = yaml.loadAll(readFileSync(join(PROJECT_ROOT, 'deploy', 'kubeharden-reader.yaml'), 'utf8')) as { apiVersion: string; kind: string; metadata: { namespace?: string } }[];
  for (const document of documents) {
    const base = document.apiVersion === 'v1' ? '/api/v1' : `/apis/${document.apiVersion}`;
    const path = document.metadata.namespace ? `${base}/namespaces/${document.metadata.namespace}/${PLURALS[document.kind]}` : `${base}/${PLURALS[document.kind]}`;
    const response = await cluster.request('admin', 'POST', path, document);
    assert.ok(response.status === 201, `${document.kind}: HTTP ${response.status} ${response.text}`);
  }
}

async function create(cluster: Cluster, path: string, body: object): Promise<void> {
  const response = await cluster.request('admin', 'POST', path, body);
  assert.equal(response.status, 201, `${path}: ${response.text}`);
}

/** Workloads with known problems, a Secret whose value must never reach the scanner, and an RBAC risk. */
async function seed(cluster: Cluster): Promise<void> {
  await cluster.createNamespace('shop', { 'pod-security.kubernetes.io/enforce': 'baseline' });
  await cluster.createNamespace('legacy');
  await create(cluster, '/apis/apps/v1/namespaces/legacy/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'legacy' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { hostNetwork: true, containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] } },
    },
  });
  // One workload runs as a ServiceAccount that exists, one as a name that does not (SA-MISSING-SERVICE-ACCOUNT).
  await create(cluster, '/api/v1/namespaces/legacy/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'legacy' } });
  for (const [name, serviceAccountName] of [['build', 'builder'], ['orphan', 'ghost']] as const) {
    await create(cluster, '/apis/apps/v1/namespaces/legacy/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'legacy' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { serviceAccountName, containers: [{ name, image: 'registry.example/build:1.0' }] } },
      },
    });
  }
  await create(cluster, '/api/v1/namespaces/shop/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    // As `kubectl apply` leaves it: the annotation repeats the whole manifest, value included, in the metadata.
    metadata: {
      name: 'db',
      namespace: 'shop',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { password: 'never-shown-s3cr3t' } }) },
    },
    stringData: { password: 'never-shown-s3cr3t' },
  });
  // A policy for pods that do not exist, admitting a namespace by a label nobody set; a Service on legacy/web.
  await create(cluster, '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'orders', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'orders' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'legacy' } } }] }] },
  });
  await create(cluster, '/api/v1/namespaces/legacy/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'legacy' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  await create(cluster, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'everyone-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:shop' }],
  });
}

/** The API server as a static pod in kube-system, with the flags it really runs with (kubeadm's layout). */
async function mirrorApiServerPod(cluster: Cluster): Promise<void> {
  await cluster.createNamespace('kube-system');
  await create(cluster, '/api/v1/namespaces/kube-system/pods', apiServerPod(cluster));
}

function apiServerPod(cluster: Cluster): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-apiserver-cp1', namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
    spec: { hostNetwork: true, containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.37.2', command: ['kube-apiserver', ...cluster.apiserverArgs] }] },
  };
}

function auditEvents(cluster: Cluster): { user: { username: string }; verb: string; objectRef?: { resource?: string }; requestURI: string; responseObject?: Record<string, unknown> }[] {
  return readFileSync(cluster.auditLogPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

describe('kubeharden cluster against a real API server (hardened)', { timeout: 180_000 }, () => {
  let readerKubeconfig = '';

  const shared = useCluster({ profile: 'hardened', auditPolicy: AUDIT_POLICY }, async (cluster) => {
    await applyReaderRole(cluster);
    await seed(cluster);
    await mirrorApiServerPod(cluster);
    const token = await cluster.request('admin', 'POST', '/api/v1/namespaces/kubeharden/serviceaccounts/kubeharden/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    assert.equal(token.status, 201, token.text);
    readerKubeconfig = cluster.kubeconfig('kubeharden', (token.json as { status: { token: string } }).status.token);
  });

  it('scans with exactly the shipped role: version from the server, findings located by resource', async (t) => {
    if (!shared.ready(t)) return;
    const result = await runCli(['cluster', '--kubeconfig', readerKubeconfig, '--format', 'json']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /runs v1\.37\.\d+; judging it as Kubernetes 1\.37/);
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.kubernetesVersion, '1.37');
    assert.equal(report.target?.versionSource, 'server');
    assert.deepEqual(report.notAssessed, []);
    assert.equal(report.incomplete, false);
    const privileged = report.findings.find((f) => f.controlId === 'POD-NO-PRIVILEGED');
    assert.equal(privileged?.resource.name, 'web');
    assert.equal(privileged?.location.file, 'cluster:/apis/apps/v1/namespaces/legacy/deployments/web');
    assert.ok(report.findings.some((f) => f.controlId === 'RBAC-CLUSTER-ADMIN-BINDING' && f.resource.name === 'everyone-admin'));
    assert.ok(report.findings.some((f) => f.controlId === 'NET-DEFAULT-DENY-INGRESS' && f.about === 'Namespace/shop'));
    assert.ok(!report.findings.some((f) => f.controlId === 'PSS-ENFORCE-LABELS' && f.resource.name === 'shop'), 'shop enforces baseline');
    assert.ok(!result.stdout.includes('never-shown-s3cr3t'));
    assert.ok(report.findings.some((f) => f.controlId === 'SA-DEFAULT-NO-AUTOMOUNT' && f.resource.namespace === 'shop'));
    // ServiceAccounts that exist in the cluster (builder, kubeharden, every default) are never reported missing.
    assert.deepEqual(
      report.findings.filter((f) => f.controlId === 'SA-MISSING-SERVICE-ACCOUNT').map((f) => [f.resource.name, f.message]),
      [['orphan', 'pod runs as ServiceAccount ghost, which is not in the cluster in namespace legacy']],
    );
    // The API server's own `kubernetes` Service in default is not the user's object.
    assert.deepEqual(report.findings.filter((f) => f.controlId === 'NS-NO-DEFAULT-NAMESPACE-OBJECTS').map((f) => `${f.resource.kind}/${f.resource.name}`), []);
    // The scan read every namespace, so selectors that match nothing are judged; the role lists the mesh and CNI
    // kinds, which this API server does not serve (not assessed: none, above).
    const network = report.findings.filter((f) => f.controlId.startsWith('NET-POLICY') || f.controlId === 'NET-POD-TRAFFIC-ENCRYPTED');
    assert.deepEqual(network.map((f) => [f.controlId, f.resource.name, f.field, f.location.file]).sort(), [
      ['NET-POD-TRAFFIC-ENCRYPTED', 'legacy', 'metadata.name', 'cluster:/api/v1/namespaces/legacy'],
      ['NET-POLICY-PEER-SELECTS-NOTHING', 'orders', 'spec.ingress[0].from[0].namespaceSelector', 'cluster:/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/orders'],
      ['NET-POLICY-SELECTS-NOTHING', 'orders', 'spec.podSelector', 'cluster:/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/orders'],
    ]);
    assert.match(network.find((f) => f.controlId === 'NET-POLICY-PEER-SELECTS-NOTHING')?.message ?? '', /no namespace in the cluster has labels name=legacy$/);
  });

  it('KUBECONFIG and --context choose the credentials, as kubectl does', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const two = yaml.load(readFileSync(cluster.kubeconfig('nobody'), 'utf8')) as { users: unknown[]; contexts: unknown[] };
    const admin = yaml.load(readFileSync(cluster.adminKubeconfig, 'utf8')) as { users: unknown[]; contexts: unknown[] };
    const merged = join(tempDir('kubeconfig'), 'config');
    writeFileSync(merged, yaml.dump({ ...two, users: [...two.users, ...admin.users], contexts: [...two.contexts, ...admin.contexts] }));
    const viaEnv = await runCli(['cluster', '--format', 'json'], { KUBECONFIG: merged });
    assert.equal(viaEnv.code, 2, 'the current context is nobody: nothing can be listed');
    const chosen = await runCli(['cluster', '--context', 'admin', '--format', 'json', '--fail-on', 'none'], { KUBECONFIG: merged });
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.equal((JSON.parse(chosen.stdout) as Report).target?.context, 'admin');
    const missing = await runCli(['cluster', '--context', 'nope'], { KUBECONFIG: merged });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no context "nope"/);
  });

  it('--kubelet-configz: a node whose kubelet cannot be reached is not assessed, never passed', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    await create(cluster, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } } });
    const result = await runCli(['cluster', '--kubeconfig', cluster.adminKubeconfig, '--kubelet-configz', '--format', 'json', '--fail-on', 'none', '--request-timeout', '5']);
    const report = JSON.parse(result.stdout) as Report;
    assert.ok(report.notAssessed?.some((item) => item.what === 'kubelet on node worker-1'), JSON.stringify(report.notAssessed));
    assert.ok(!report.summary.controls.skipped.some((skip) => skip.id === 'NODE-KUBELET-ANONYMOUS-AUTH'), 'kubelet controls run with --kubelet-configz');
    const without = JSON.parse((await runCli(['cluster', '--kubeconfig', cluster.adminKubeconfig, '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
    assert.match(without.summary.controls.skipped.find((skip) => skip.id === 'NODE-KUBELET-ANONYMOUS-AUTH')?.reason ?? '', /--kubelet-configz/);
  });

  it("proves from the API server's audit log: only get/list/watch, and never a Secret's data", async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const scanner = auditEvents(cluster).filter((event) => event.user.username === 'system:serviceaccount:kubeharden:kubeharden');
    assert.ok(scanner.length >= 20, `${scanner.length} requests by the scanner`);
    assert.deepEqual([...new Set(scanner.map((event) => event.verb))].filter((verb) => !['get', 'list', 'watch'].includes(verb)), []);
    const secrets = scanner.filter((event) => event.objectRef?.resource === 'secrets');
    assert.ok(secrets.length > 0, 'the scanner listed Secrets');
    for (const event of secrets) {
      assert.equal(event.responseObject?.['kind'], 'PartialObjectMetadataList', event.requestURI);
      const items = (event.responseObject?.['items'] ?? []) as Record<string, unknown>[];
      assert.ok(items.every((item) => !('data' in item) && !('stringData' in item)), 'no Secret data in the response');
    }
  });

  it('credentials that may list nothing: every kind is not assessed, exit 2 unless --allow-partial', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const nobody = cluster.kubeconfig('nobody');
    const result = await runCli(['cluster', '--kubeconfig', nobody, '--format', 'json']);
    assert.equal(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.ok((report.notAssessed?.length ?? 0) >= 20);
    assert.ok(report.notAssessed?.every((item) => /forbidden/.test(item.reason)));
    assert.equal(report.incomplete, true);
    assert.ok(report.summary.controls.skipped.some((skip) => skip.id === 'NET-DEFAULT-DENY-INGRESS' && /may not list/.test(skip.reason)));
    assert.ok(report.summary.controls.skipped.some((skip) => skip.id === 'NET-POD-TRAFFIC-ENCRYPTED' && /may not list .*PeerAuthentication/.test(skip.reason)));
    const partial = await runCli(['cluster', '--kubeconfig', nobody, '--allow-partial']);
    assert.equal(partial.code, 0, partial.stdout);
    assert.match(partial.stdout, /Not assessed \(\d+\)/);
    assert.match(partial.stdout, /\nResult: PASS: nothing at or above high; exit code 0\.\n$/);
  });

  it('a scan in which every list was forbidden looks incomplete in every format', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const dir = tempDir('forbidden', t);
    const result = await runCli(['cluster', '--kubeconfig', cluster.kubeconfig('nobody'), '--format', 'table,json,sarif,junit,html,markdown,policyreport', '--output-dir', dir]);
    assert.equal(result.code, 2, result.stderr);
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    const report = JSON.parse(read('kubeharden.json')) as Report & { verdict: { status: string; exitCode: number } };
    const missing = report.notAssessed?.length ?? 0;
    assert.ok(missing >= 20, `${missing} kinds not assessed`);
    assert.deepEqual([report.verdict.status, report.verdict.exitCode], ['incomplete', 2]);
    assert.doesNotMatch(read('kubeharden.txt'), /^No findings\.$|check the paths|PASS/m, 'nothing that reads as clean');
    assert.match(read('kubeharden.txt'), new RegExp(`\\nResult: INCOMPLETE: ${missing} parts could not be assessed, so they are not shown to be safe; exit code 2\\.\\n$`));
    const sarif = JSON.parse(read('kubeharden.sarif')) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    const invocation = sarif.runs[0]?.invocations[0];
    assert.equal(invocation?.executionSuccessful, false);
    assert.equal(invocation?.toolExecutionNotifications.filter((n) => n.level === 'error' && /^not assessed: .*forbidden/.test(n.message.text)).length, missing);
    assert.match(read('kubeharden.junit.xml'), new RegExp(`<testsuites name="kubeharden" tests="\\d+" failures="\\d+" errors="${missing}"`));
    assert.match(read('kubeharden.html'), /<p class="verdict incomplete" data-testid="verdict" data-status="incomplete">INCOMPLETE: /);
    assert.doesNotMatch(read('kubeharden.html'), /PASS/);
    assert.match(read('kubeharden.md'), /^## ⚠️ kubeharden INCOMPLETE: /);
    assert.ok(!read('kubeharden.md').includes('✅') && !read('kubeharden.md').includes('🎉'));
    const policyReports = yaml.loadAll(read('kubeharden-policyreport.yaml')) as { metadata: { annotations: Record<string, string> }; summary: { error: number } }[];
    assert.ok(policyReports.every((document) => document.metadata.annotations['kubeharden.io/verdict'] === 'incomplete'));
    assert.equal(policyReports.reduce((sum, document) => sum + document.summary.error, 0), missing);
  });

  it('--namespace limits the objects; --exclude-namespaces drops them', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const only = JSON.parse((await runCli(['cluster', '--kubeconfig', cluster.adminKubeconfig, '-n', 'legacy', '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
    assert.ok(only.findings.length > 0);
    assert.ok(only.findings.every((f) => f.resource.namespace === 'legacy' || f.resource.namespace === null));
    assert.deepEqual(only.findings.filter((f) => f.controlId === 'SA-MISSING-SERVICE-ACCOUNT').map((f) => f.resource.name), ['orphan']);
    const without = JSON.parse((await runCli(['cluster', '--kubeconfig', cluster.adminKubeconfig, '--exclude-namespaces', 'legacy,kube-system', '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
    assert.ok(!without.findings.some((f) => f.resource.namespace === 'legacy'));
    // A namespace left out might carry the label the peer asks for: the peer is not judged, the policy still is.
    assert.deepEqual(without.findings.filter((f) => f.controlId.startsWith('NET-POLICY')).map((f) => f.controlId), ['NET-POLICY-SELECTS-NOTHING']);
  });

  it('hardened: the anonymous probe gets 401, and the API server pod passes the flag checks it should', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const result = await runCli(['cluster', '--kubeconfig', cluster.adminKubeconfig, '--probe-anonymous', '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as Report;
    assert.ok(!report.findings.some((f) => f.controlId === 'AUTH-ANONYMOUS-PROBE'));
    assert.ok(report.summary.controls.run.includes('AUTH-ANONYMOUS-PROBE'));
    const apiserver = report.findings.filter((f) => f.resource.name === 'kube-apiserver-cp1').map((f) => f.controlId);
    for (const id of ['CP-APISERVER-ANONYMOUS-AUTH', 'ENC-SECRETS-AT-REST', 'AUD-APISERVER-AUDIT-LOG', 'CP-APISERVER-PROFILING']) {
      assert.ok(!apiserver.includes(id), `${id} should pass on the hardened server`);
    }
  });
});

describe('kubeharden cluster and node tell an insecure API server from a hardened one', { timeout: 180_000 }, () => {
  const shared = useCluster({ profile: 'insecure' }, async (insecure) => {
    await mirrorApiServerPod(insecure);
  });

  it('cluster: the anonymous probe and the static pod flags show the insecure settings', async (t) => {
    const insecure = shared.ready(t);
    if (!insecure) return;
    const result = await runCli(['cluster', '--kubeconfig', insecure.adminKubeconfig, '--probe-anonymous', '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as Report;
    const probe = report.findings.find((f) => f.controlId === 'AUTH-ANONYMOUS-PROBE');
    assert.match(probe?.message ?? '', /served as system:anonymous/);
    const apiserver = report.findings.filter((f) => f.resource.name === 'kube-apiserver-cp1').map((f) => f.controlId);
    for (const id of ['CP-APISERVER-ANONYMOUS-AUTH', 'ENC-SECRETS-AT-REST', 'AUD-APISERVER-AUDIT-LOG', 'CP-APISERVER-PROFILING']) {
      assert.ok(apiserver.includes(id), `${id} should fail on the insecure server`);
    }
  });

  it('cluster: a pod labelled kube-apiserver whose command runs kube-scheduler is judged as the scheduler', async (t) => {
    const insecure = shared.ready(t);
    if (!insecure) return;
    await create(insecure, '/api/v1/namespaces/kube-system/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mislabelled-cp1', namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
      spec: { hostNetwork: true, containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-scheduler:v1.37.2', command: ['kube-scheduler', '--bind-address=0.0.0.0'] }] },
    });
    const result = await runCli(['cluster', '--kubeconfig', insecure.adminKubeconfig, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as Report;
    const ids = report.findings.filter((f) => f.resource.name === 'mislabelled-cp1').map((f) => f.controlId);
    assert.ok(ids.includes('CP-SCHED-BIND-LOCALHOST') && ids.includes('CP-SCHED-PROFILING'), ids.join(', '));
    assert.deepEqual(ids.filter((id) => id.startsWith('CP-APISERVER-') || id.startsWith('AUD-') || id.startsWith('ENC-')), [], 'none of the API server\'s controls');
  });

  it('node: a host root with each server’s real manifest and the files its flags name', async (t) => {
    const insecure = shared.ready(t);
    if (!insecure) return;
    const hardened = await startCluster({ profile: 'hardened' });
    if ('skip' in hardened) return t.skip(hardened.skip);
    try {
      const ids = async (cluster: Cluster) => {
        const root = hostRootFor(cluster);
        const result = await runCli(['node', '--root', root, '--format', 'json', '--fail-on', 'none']);
        assert.equal(result.code, 0, result.stderr);
        return new Set((JSON.parse(result.stdout) as Report).findings.map((f) => f.controlId));
      };
      const insecureIds = await ids(insecure);
      const hardenedIds = await ids(hardened);
      for (const id of ['CP-APISERVER-ANONYMOUS-AUTH', 'ENC-SECRETS-AT-REST', 'AUD-APISERVER-AUDIT-LOG', 'CP-APISERVER-PROFILING']) {
        assert.ok(insecureIds.has(id), `insecure: ${id}`);
        assert.ok(!hardenedIds.has(id), `hardened: ${id}`);
      }
    } finally {
      await hardened.stop();
    }
  });
});

/** /etc/kubernetes/manifests/kube-apiserver.yaml from the server's real flags, and the files they name, under a root. */
function hostRootFor(cluster: Cluster): string {
  const root = tempDir('root');
  mkdirSync(join(root, 'etc', 'kubernetes', 'manifests'), { recursive: true });
  writeFileSync(join(root, 'etc', 'kubernetes', 'manifests', 'kube-apiserver.yaml'), yaml.dump(apiServerPod(cluster)), { mode: 0o600 });
  for (const arg of cluster.apiserverArgs) {
    const match = /^--(?:encryption-provider-config|audit-policy-file)=(.+)$/.exec(arg);
    if (!match?.[1] || !existsSync(match[1])) continue;
    const target = join(root, match[1]);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(match[1], target);
  }
  return root;
}
