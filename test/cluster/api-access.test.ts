/**
 * Reaching a real kube-apiserver the ways kubectl does: under a path prefix (Rancher's `/k8s/clusters/c-1`, served
 * by a local reverse proxy), through an HTTPS_PROXY CONNECT proxy (and not through it when NO_PROXY says so), and
 * with exec-plugin credentials that expire during the scan or are refused with 401.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import type { Cluster } from '../support/cluster-harness.js';
import { useCluster } from '../support/use-cluster.js';
import { startConnectProxy, startReverseProxy, startSocksProxy, writeKubeconfig } from '../support/local-server.js';
import { runCliAsync, type CliResult } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';

/** The CLI without the test's own proxy and kubeconfig variables. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(args, env, /^(https?_proxy|no_proxy|kubeconfig)$/i);
}

function flag(cluster: Cluster, name: string): string {
  const arg = cluster.apiserverArgs.find((candidate) => candidate.startsWith(`--${name}=`));
  assert.ok(arg, name);
  return arg.slice(name.length + 3);
}

/**
 * An exec plugin (node) that counts its runs in `counter` and prints the tokens of `tokens` in turn (the last one
 * from then on), each valid for `seconds` as far as the client knows: the harness's tokens are static, so the
 * expiry is the plugin's word, as with a real short-lived token.
 */
function countingPlugin(dir: string, tokens: string[], seconds: number): { exec: Record<string, unknown>; runs: () => number } {
  const script = join(dir, 'plugin.mjs');
  const counter = join(dir, 'runs');
  writeFileSync(
    script,
    `import { appendFileSync, existsSync, readFileSync } from 'node:fs';\n` +
      `const runs = existsSync(${JSON.stringify(counter)}) ? readFileSync(${JSON.stringify(counter)}, 'utf8').length : 0;\n` +
      `appendFileSync(${JSON.stringify(counter)}, '.');\n` +
      `const tokens = ${JSON.stringify(tokens)};\n` +
      `const token = tokens[Math.min(runs, tokens.length - 1)];\n` +
      `const expirationTimestamp = new Date(Date.now() + ${seconds * 1000}).toISOString();\n` +
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token, expirationTimestamp } }));\n`,
  );
  return {
    exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script], interactiveMode: 'Never' },
    runs: () => (existsSync(counter) ? readFileSync(counter, 'utf8').length : 0),
  };
}

describe('reaching a real API server as kubectl does', { timeout: 240_000 }, () => {
  let dir = '';
  let caData = '';

  const shared = useCluster({ profile: 'insecure' }, async (cluster) => {
    dir = tempDir('access');
    caData = Buffer.from(cluster.caPem).toString('base64');
    await cluster.createNamespace('shop');
    const created = await cluster.request('admin', 'POST', '/apis/apps/v1/namespaces/shop/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] } } },
    });
    assert.equal(created.status, 201, created.text);
  });

  it('keeps the path of the server URL (Rancher-style /k8s/clusters/c-1), for cluster and netpol reach', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const prefix = '/k8s/clusters/c-1';
    const proxy = await startReverseProxy({
      upstream: cluster.url,
      upstreamCa: cluster.caPem,
      prefix,
      tls: { cert: readFileSync(flag(cluster, 'tls-cert-file')), key: readFileSync(flag(cluster, 'tls-private-key-file')) },
    });
    t.after(() => proxy.close());
    const kubeconfig = writeKubeconfig(dir, 'rancher', `${proxy.url}${prefix}`, { token: cluster.tokens['admin'] ?? '' }, { 'certificate-authority-data': caData });
    const result = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`cluster ${proxy.url}${prefix} \\(context x\\) runs v1\\.37`));
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.incomplete, false);
    assert.deepEqual(report.notAssessed, []);
    assert.ok(report.findings.some((finding) => finding.controlId === 'POD-NO-PRIVILEGED' && finding.resource.name === 'web'));
    assert.equal(report.target?.name, `${proxy.url}${prefix}`);
    const outside = proxy.seen.filter((line) => !line.startsWith(`GET ${prefix}/`));
    assert.deepEqual(outside, [], 'every request under the prefix');
    assert.ok(proxy.seen.some((line) => line.startsWith(`GET ${prefix}/version`)) && proxy.seen.some((line) => line.startsWith(`GET ${prefix}/api/v1/pods?`)), proxy.seen.join('\n'));
    const before = proxy.seen.length;
    const reach = await runCli(['netpol', 'reach', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json']);
    assert.equal(reach.code, 1, `exit 1: shop/web is open to everyone; ${reach.stderr}`);
    assert.match(JSON.stringify(JSON.parse(reach.stdout)), /shop\/web/);
    assert.ok(proxy.seen.length > before);
    assert.deepEqual(proxy.seen.filter((line) => !line.startsWith(`GET ${prefix}/`)), []);
  });

  it('HTTPS_PROXY (or https_proxy) tunnels through a CONNECT proxy; NO_PROXY bypasses it', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    // Go never proxies loopback addresses, so the server is named by a host only the proxy can resolve.
    const port = new URL(cluster.url).port;
    const proxy = await startConnectProxy({ 'kubernetes.default.svc': '127.0.0.1' });
    t.after(() => proxy.close());
    const kubeconfig = writeKubeconfig(dir, 'proxied', `https://kubernetes.default.svc:${port}`, { token: cluster.tokens['admin'] ?? '' }, { 'certificate-authority-data': caData });
    const result = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none'], { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as Report).incomplete, false);
    assert.ok(proxy.seen.length > 0 && proxy.seen.every((line) => line === `CONNECT kubernetes.default.svc:${port}`), proxy.seen.join('\n'));
    const tunnels = proxy.seen.length;
    const reach = await runCli(['netpol', 'reach', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json'], { https_proxy: `127.0.0.1:${proxy.port}` });
    assert.equal(reach.code, 1, reach.stderr);
    assert.match(JSON.stringify(JSON.parse(reach.stdout)), /shop\/web/);
    assert.ok(proxy.seen.length > tunnels, 'lower-case https_proxy without a scheme is used too');
    const direct = proxy.seen.length;
    const bypassed = await runCli(['cluster', '--kubeconfig', kubeconfig, '--request-timeout', '10'], { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'example.com,.svc' });
    assert.equal(bypassed.code, 2, 'kubernetes.default.svc is not resolvable without the proxy');
    assert.equal(proxy.seen.length, direct, 'NO_PROXY=.svc: the proxy was not used');
  });

  it("a kubeconfig's proxy-url (socks5://, as from ssh -D) wins over HTTPS_PROXY", async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const port = new URL(cluster.url).port;
    const socks = await startSocksProxy({ 'kubernetes.default.svc': '127.0.0.1' });
    t.after(() => socks.close());
    const unused = await startConnectProxy();
    t.after(() => unused.close());
    const kubeconfig = writeKubeconfig(dir, 'socks', `https://kubernetes.default.svc:${port}`, { token: cluster.tokens['admin'] ?? '' }, { 'certificate-authority-data': caData, 'proxy-url': socks.url });
    const result = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none'], { HTTPS_PROXY: unused.url });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as Report).incomplete, false);
    assert.ok(socks.seen.length > 0 && socks.seen.every((line) => line === `SOCKS kubernetes.default.svc:${port}`), socks.seen.join('\n'));
    assert.deepEqual(unused.seen, []);
  });

  it('renews exec-plugin credentials that expire during a scan', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const plugin = countingPlugin(mkdtempSync(join(dir, 'expiring-')), [cluster.tokens['admin'] ?? ''], 1);
    // A slow path to the server (150 ms a request, one at a time) makes the scan outlast the 1-second credential.
    const prefix = '/slow';
    const proxy = await startReverseProxy({ upstream: cluster.url, upstreamCa: cluster.caPem, prefix, delayMs: 150 });
    t.after(() => proxy.close());
    const kubeconfig = writeKubeconfig(dir, 'expiring', `${proxy.url}${prefix}`, { exec: plugin.exec });
    const result = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none', '--concurrency', '1']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as Report).incomplete, false);
    const requests = proxy.seen.length;
    t.diagnostic(`${plugin.runs()} plugin runs for ${requests} requests`);
    assert.ok(requests * 150 > 2_000, `${requests} requests`);
    assert.ok(plugin.runs() >= 2, `the plugin ran ${plugin.runs()} times in ${requests} requests`);
    assert.ok(plugin.runs() < requests / 2, `the credential is reused while valid: ${plugin.runs()} runs for ${requests} requests`);
    assert.ok(proxy.authorizations.every((value) => value === `Bearer ${cluster?.tokens['admin']}`));
  });

  it('a 401 is retried once with fresh exec-plugin credentials', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const plugin = countingPlugin(mkdtempSync(join(dir, 'revoked-')), ['revoked-token', cluster.tokens['admin'] ?? ''], 3600);
    const kubeconfig = writeKubeconfig(dir, 'revoked', cluster.url, { exec: plugin.exec }, { 'certificate-authority-data': caData });
    const result = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as Report).notAssessed, []);
    assert.equal(plugin.runs(), 2, 'one run for the refused token, one for the fresh one');
  });
});
