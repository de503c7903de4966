/**
 * `audit serve` fed by a real kube-apiserver: its webhook batch backend posts the events of the recommended policy
 * over mutual TLS, and each attack done through the API must come back as exactly the expected detections within
 * five seconds; a benign run gives none.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import yaml from 'js-yaml';
import { RECOMMENDED_POLICY_YAML } from '../../src/audit/policy/recommended.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';
import { tempDir } from '../support/temp-dir.js';
import { isSkipped, useServers, type Skipped } from '../support/use-cluster.js';
import { makeWebhookPki, request, startServe, waitFor, type ServeProcess, type WebhookPki } from '../audit/webhook/webhook-support.js';

const NAMESPACE = 'shop';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
/** The API server flushes a batch after at most a second (--audit-webhook-batch-max-wait): 5 s leaves room. */
const ARRIVAL_MS = 5_000;
/** After the expected findings, how long to keep watching for unexpected ones (more than one batch interval). */
const QUIET_MS = 2_000;

/** The webhook kubeconfig the API server reads: the server is `audit serve`, the user is its client certificate. */
function webhookKubeconfig(pki: WebhookPki, url: string): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubeharden-audit', cluster: { server: url, 'certificate-authority-data': readFileSync(pki.caCert).toString('base64') } }],
    users: [{ name: 'kube-apiserver', user: { 'client-certificate-data': readFileSync(pki.clientCert).toString('base64'), 'client-key-data': readFileSync(pki.clientKey).toString('base64') } }],
    contexts: [{ name: 'webhook', context: { cluster: 'kubeharden-audit', user: 'kube-apiserver' } }],
    'current-context': 'webhook',
  });
}

function privilegedPod(name: string): object {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'registry.example.com/tools/debug:1.0', securityContext: { privileged: true } }] },
  };
}

interface Webhooked {
  readonly pki: WebhookPki;
  readonly serve: ServeProcess;
  readonly cluster: Cluster;
  stop(): Promise<void>;
}

/**
 * audit serve, then an API server that sends it the events of the recommended policy (it needs audit serve's
 * address). audit serve stops again, and must exit 0, once the API server has stopped, or when it skipped or failed.
 */
async function startWebhooked(dir: string): Promise<Webhooked | Skipped> {
  const pki = makeWebhookPki(dir);
  const serve = await startServe(pki);
  const stopServe = async () => assert.equal(await serve.stop(), 0, `audit serve exit code; stderr: ${serve.stderr()}`);
  const kubeconfig = join(dir, 'webhook-kubeconfig.yaml');
  writeFileSync(kubeconfig, webhookKubeconfig(pki, serve.url), { mode: 0o600 });
  const cluster = await startCluster({
    profile: 'hardened',
    auditPolicy: RECOMMENDED_POLICY_YAML,
    users: { mallory: {} },
    extraApiserverArgs: [
      `--audit-webhook-config-file=${kubeconfig}`,
      '--audit-webhook-batch-max-wait=1s',
      '--audit-webhook-initial-backoff=1s',
      // Anonymous requests reach the API server, so that one allowed by a careless binding can be detected.
      '--anonymous-auth=true',
    ],
  }).catch(async (error: unknown) => {
    await stopServe();
    throw error;
  });
  if (isSkipped(cluster)) {
    await stopServe();
    return cluster;
  }
  return {
    pki,
    serve,
    cluster,
    async stop() {
      await cluster.stop();
      await stopServe();
    },
  };
}

describe('audit serve as the webhook backend of a real API server', { timeout: 300_000 }, () => {
  const dir = tempDir('audit-webhook');
  const shared = useServers(() => startWebhooked(dir));

  /** Runs ACT, then waits for exactly EXPECTED (rule ids, sorted) among the findings that arrive after it. */
  async function expectDetections(t: TestContext, { serve: served, cluster }: Webhooked, act: (cluster: Cluster) => Promise<void>, expected: readonly string[]): Promise<void> {
    const from = served.findings.length;
    const started = Date.now();
    await act(cluster);
    const ids = () => served.findings.slice(from).map((entry) => entry.finding.controlId).sort();
    await waitFor(() => ids().length >= expected.length, ARRIVAL_MS, () => `expected ${expected.join(', ')}; got ${ids().join(', ') || 'nothing'}`);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    assert.deepEqual(ids(), [...expected].sort(), JSON.stringify(served.findings.slice(from).map((entry) => entry.finding.message)));
    if (expected.length > 0) t.diagnostic(`${expected.join(', ')}: arrived ${served.findings.slice(from).map((entry) => entry.at - started).join(', ')} ms after the request was sent`);
  }

  async function ok(response: Promise<{ status: number; text: string }>, ...statuses: number[]): Promise<void> {
    const answer = await response;
    assert.ok(statuses.includes(answer.status), `HTTP ${answer.status}: ${answer.text}`);
  }

  it('a benign run gives no detection: a ConfigMap created, pods listed', async (t) => {
    const webhooked = shared.ready(t);
    if (!webhooked) return;
    const { pki, serve, cluster } = webhooked;
    // The API server's own start-up is audited too: it creates its bootstrap roles as system:apiserver, and the
    // role rules do not tell those from an intruder's (left for the rules to except). Let it settle first.
    let seen = -1;
    while (seen !== serve.findings.length) {
      seen = serve.findings.length;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    }
    const startup = serve.findings.map((entry) => entry.finding);
    t.diagnostic(`start-up findings: ${startup.length}, all by system:apiserver`);
    assert.deepEqual([...new Set(startup.map((finding) => finding.event.user))], startup.length > 0 ? ['system:apiserver'] : []);
    await cluster.createNamespace(NAMESPACE);
    await expectDetections(t, webhooked, async (c) => {
      await ok(c.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'prod' } }), 201);
      await ok(c.request('admin', 'GET', `/api/v1/namespaces/${NAMESPACE}/pods`), 200);
      await ok(c.request('admin', 'GET', '/api/v1/pods'), 200);
    }, []);
    // The batches came in over mutual TLS, all of them valid.
    const metrics = (await request(serve.url, pki, 'GET', '/metrics')).text;
    const received = Number(/^kubeharden_audit_events_received_total (\d+)$/m.exec(metrics)?.[1]);
    t.diagnostic(`events received so far: ${received}`);
    assert.ok(received > 10, metrics);
    assert.match(metrics, /^kubeharden_audit_batches_refused_total\{reason="invalid"\} 0$/m);
    assert.match(metrics, /^kubeharden_audit_events_invalid_total 0$/m);
  });

  it('a privileged pod', async (t) => {
    const webhooked = shared.ready(t);
    if (!webhooked) return;
    await expectDetections(t, webhooked, (c) => ok(c.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/pods`, privilegedPod('debug')), 201), ['AUDIT-PRIVILEGED-POD']);
  });

  it('Secrets read in another namespace', async (t) => {
    const webhooked = shared.ready(t);
    if (!webhooked) return;
    // Granting the read is not itself a detection.
    await expectDetections(t, webhooked, async (c) => {
      await ok(c.request('admin', 'POST', `${RBAC}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] }), 201);
      await ok(c.request('admin', 'POST', `${RBAC}/clusterrolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'mallory-secrets' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }] }), 201);
    }, []);
    await expectDetections(t, webhooked, (c) => ok(c.request('mallory', 'GET', '/api/v1/namespaces/kube-system/secrets'), 200), ['AUDIT-SECRET-READ']);
  });

  it('cluster-admin bound to a user', async (t) => {
    const webhooked = shared.ready(t);
    if (!webhooked) return;
    await expectDetections(t, webhooked, (c) => ok(c.request('admin', 'POST', `${RBAC}/clusterrolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'mallory-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }],
    }), 201), ['AUDIT-CLUSTER-ADMIN-BINDING']);
  });

  it('an anonymous request the API server allowed', async (t) => {
    const webhooked = shared.ready(t);
    if (!webhooked) return;
    await expectDetections(t, webhooked, async (c) => {
      await ok(c.request('admin', 'POST', `${RBAC}/namespaces/${NAMESPACE}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-lister' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] }), 201);
      await ok(c.request('admin', 'POST', `${RBAC}/namespaces/${NAMESPACE}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'anyone-lists-pods' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-lister' }, subjects: [{ kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }] }), 201);
    }, []);
    await expectDetections(t, webhooked, (c) => ok(c.request(null, 'GET', `/api/v1/namespaces/${NAMESPACE}/pods`), 200), ['AUDIT-ANONYMOUS-ALLOWED']);
  });

  it('an exec attempt into a pod (audited though the pod never ran)', async (t) => {
    const webhooked = shared.ready(t);
    if (!webhooked) return;
    await expectDetections(t, webhooked, (c) => ok(c.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/pods/debug/exec?command=ls&stdout=true`), 400), ['AUDIT-EXEC-INTO-POD']);
  });
});

function metric(text: string, name: string): number {
  const match = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

describe('audit serve refuses batches while its output is blocked, and the API server sends them again', { timeout: 300_000 }, () => {
  it('every event the API server logged reaches the rules once the output drains, and the attack made meanwhile is detected', async (t) => {
    const dir = tempDir('audit-webhook-blocked', t);
    const pki = makeWebhookPki(dir);
    // A named pipe nobody reads yet: the findings of the API server's start-up fill its buffer, the queue of 50
    // events fills behind it, and batches get 429.
    const fifo = join(dir, 'findings.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const serve = await startServe(pki, ['--output', fifo, '--queue', '50']);
    let findings = '';
    let poll: NodeJS.Timeout | undefined;
    let reading = false;
    const read = (): void => {
      if (!reading) createReadStream(fifo).on('data', (chunk) => (findings += chunk.toString()));
      reading = true;
    };
    // Every way out reads the pipe before stopping audit serve, which writes out what it holds first: a skip or a
    // failure to start the API server too, where audit serve would otherwise never end.
    try {
      const kubeconfig = join(dir, 'webhook-kubeconfig.yaml');
      writeFileSync(kubeconfig, webhookKubeconfig(pki, serve.url), { mode: 0o600 });
      const cluster = await startCluster({
        profile: 'hardened',
        auditPolicy: RECOMMENDED_POLICY_YAML,
        extraApiserverArgs: [`--audit-webhook-config-file=${kubeconfig}`, '--audit-webhook-batch-max-wait=1s', '--audit-webhook-initial-backoff=1s'],
      });
      if ('skip' in cluster) return t.skip(cluster.skip);
      try {
        const metrics = async () => (await request(serve.url, pki, 'GET', '/metrics')).text;
        let text = '';
        poll = setInterval(() => void metrics().then((answer) => (text = answer)), 200);
        // The start-up's batches are taken (a batch goes in whenever the queue is not full); the requests after them
        // find the queue full.
        await cluster.createNamespace(NAMESPACE);
        for (let i = 0; metric(text, 'kubeharden_audit_batches_refused_total{reason="queue_full"}') === 0 || Number.isNaN(metric(text, 'kubeharden_audit_batches_refused_total{reason="queue_full"}')); i++) {
          assert.ok(i < 300, `no batch refused after ${i} requests: ${text}`);
          const answer = await cluster.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `filler-${i}` } });
          assert.equal(answer.status, 201, answer.text);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const created = await cluster.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/pods`, privilegedPod('while-blocked'));
        assert.equal(created.status, 201, created.text);
        // Now someone reads the findings.
        read();
        await waitFor(() => findings.includes('"name":"while-blocked"'), 60_000, () => `no finding for the pod yet; ${findings.split('\n').length} lines`);
        const logged = () => readFileSync(cluster.auditLogPath, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
        await waitFor(() => metric(text, 'kubeharden_audit_events_processed_total') === logged(), 60_000, () => `processed ${metric(text, 'kubeharden_audit_events_processed_total')}, the log backend wrote ${logged()}`);
        clearInterval(poll);
        text = await metrics();
        t.diagnostic(`events: ${metric(text, 'kubeharden_audit_events_processed_total')} processed = ${logged()} in the log backend; batches refused with 429: ${metric(text, 'kubeharden_audit_batches_refused_total{reason="queue_full"}')} (${metric(text, 'kubeharden_audit_events_refused_total')} events, all sent again)`);
        assert.equal(metric(text, 'kubeharden_audit_events_processed_total'), logged());
        assert.equal(metric(text, 'kubeharden_audit_events_received_total'), logged());
      } finally {
        clearInterval(poll);
        read();
        await cluster.stop();
      }
    } finally {
      read();
      assert.equal(await serve.stop(), 0, serve.stderr());
    }
    const pods = findings.split('\n').filter((line) => line.includes('"name":"while-blocked"')).map((line) => (JSON.parse(line) as { controlId: string }).controlId);
    assert.deepEqual(pods, ['AUDIT-PRIVILEGED-POD']);
  });
});
