/**
 * `audit serve` without an API server: the compiled CLI over mutual TLS, fed EventList batches shaped as
 * kube-apiserver's webhook backend sends them (items without kind or apiVersion), and the server module in process
 * for the bounded queue (an output that stops reading fills it; batches then get 429 with Retry-After).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import { startAuditWebhook } from '../../../src/audit/serve/webhook-server.js';
import { runCli } from '../../support/cli-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { CONFIGMAP_GET, eventList, EXEC, listedEvent, makeWebhookPki, metric, request, SECRET_LIST, startServe, waitFor, type ServedFinding, type WebhookPki } from './webhook-support.js';

describe('audit serve (the CLI over mutual TLS)', { timeout: 120_000 }, () => {
  it('runs the rules on webhook batches, answers /healthz and /metrics, refuses what is not an EventList, and writes findings as JSON lines', async (t) => {
    const pki = makeWebhookPki(tempDir('audit-serve', t));
    const serve = await startServe(pki);
    try {
      const health = await request(serve.url, pki, 'GET', '/healthz');
      assert.deepEqual([health.status, health.text], [200, 'ok\n']);

      const accepted = await request(serve.url, pki, 'POST', '/', eventList([EXEC, CONFIGMAP_GET, SECRET_LIST]));
      assert.equal(accepted.status, 200, accepted.text);
      await waitFor(() => serve.findings.length >= 2, 5_000, () => JSON.stringify(serve.findings));
      assert.deepEqual(serve.findings.map(({ finding }) => [finding.controlId, finding.event.auditID, finding.resource.namespace]), [
        ['AUDIT-EXEC-INTO-POD', 'exec-1', 'shop'],
        ['AUDIT-SECRET-READ', 'secrets-1', 'kube-system'],
      ]);
      assert.equal(serve.findings[0]?.finding.message, "mallory exec'd into shop/web (command: ls)");

      const refused = [
        ['not JSON', '{"kind": "EventList", "items": ['],
        ['a Pod', JSON.stringify({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'x' } })],
        ['a list of Pods', eventList([{ kind: 'Pod', apiVersion: 'v1' }])],
      ] as const;
      for (const [what, body] of refused) {
        const answer = await request(serve.url, pki, 'POST', '/', body);
        assert.equal(answer.status, 400, `${what}: ${answer.text}`);
        assert.equal((JSON.parse(answer.text) as { reason: string }).reason, 'BadRequest', what);
      }
      // A batch with one event of the wrong shape keeps the others (retrying would not fix it): counted as invalid.
      const mixed = await request(serve.url, pki, 'POST', '/', eventList([CONFIGMAP_GET, { ...CONFIGMAP_GET, user: { username: 7 } }]));
      assert.equal(mixed.status, 200, mixed.text);

      const metrics = (await request(serve.url, pki, 'GET', '/metrics')).text;
      assert.equal(metric(metrics, 'kubeharden_audit_events_received_total'), 4);
      assert.equal(metric(metrics, 'kubeharden_audit_events_invalid_total'), 1);
      assert.equal(metric(metrics, 'kubeharden_audit_batches_accepted_total'), 2);
      assert.equal(metric(metrics, 'kubeharden_audit_batches_refused_total{reason="invalid"}'), 3);
      assert.equal(metric(metrics, 'kubeharden_audit_findings_total{rule="AUDIT-EXEC-INTO-POD"}'), 1);
      assert.equal(metric(metrics, 'kubeharden_audit_findings_total{rule="AUDIT-SECRET-READ"}'), 1);
      assert.equal(metric(metrics, 'kubeharden_audit_findings_total{rule="AUDIT-PRIVILEGED-POD"}'), 0);
      assert.equal(metrics.match(/^kubeharden_audit_findings_total\{/gm)?.length, DETECTION_RULES.length);
      assert.equal(metric(metrics, 'kubeharden_audit_queue_depth'), 0);
    } finally {
      assert.equal(await serve.stop(), 0, serve.stderr());
    }
    assert.match(serve.stderr(), /refused webhook batch 2: line 1: not JSON/);
  });

  it('lets in only clients with a certificate from --client-ca, over TLS 1.2 or later', async (t) => {
    const pki = makeWebhookPki(tempDir('audit-serve-tls', t));
    const serve = await startServe(pki);
    try {
      await assert.rejects(request(serve.url, pki, 'GET', '/healthz', undefined, { cert: pki.strangerCert, key: pki.strangerKey }), /certificate|alert|socket hang up|ECONNRESET/i);
      const noCertificate = new Promise((resolve, reject) => {
        import('node:https').then(({ default: https }) => {
          const sent = https.request(new URL('/healthz', serve.url), { ca: readFileSync(pki.caCert) }, (response) => resolve(response.statusCode));
          sent.on('error', reject);
          sent.end();
        }, reject);
      });
      await assert.rejects(noCertificate, /certificate|alert|socket hang up|ECONNRESET/i);
      const tls11 = new Promise((resolve, reject) => {
        import('node:https').then(({ default: https }) => {
          const sent = https.request(new URL('/healthz', serve.url), { ca: readFileSync(pki.caCert), cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey), maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, (response) => resolve(response.statusCode));
          sent.on('error', reject);
          sent.end();
        }, reject);
      });
      await assert.rejects(tls11, /protocol|version|alert|ECONNRESET/i);
      assert.equal((await request(serve.url, pki, 'GET', '/healthz')).status, 200);
    } finally {
      assert.equal(await serve.stop(), 0, serve.stderr());
    }
  });

  it('--output FILE appends one JSON line per finding, so a restart keeps what was written before it', async (t) => {
    const dir = tempDir('audit-serve-file', t);
    const pki = makeWebhookPki(dir);
    const file = join(dir, 'findings.jsonl');
    for (const batch of [[EXEC], [SECRET_LIST, { ...EXEC, auditID: 'exec-2' }]]) {
      const serve = await startServe(pki, ['--output', file]);
      try {
        assert.equal((await request(serve.url, pki, 'POST', '/', eventList(batch))).status, 200);
      } finally {
        // A stop runs what is queued and closes the file first.
        assert.equal(await serve.stop(), 0, serve.stderr());
      }
      assert.equal(serve.findings.length, 0, 'nothing on stdout');
    }
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines.map((line) => { const finding = JSON.parse(line) as { controlId: string; event: { auditID: string } }; return `${finding.controlId} ${finding.event.auditID}`; }), [
      'AUDIT-EXEC-INTO-POD exec-1', 'AUDIT-SECRET-READ secrets-1', 'AUDIT-EXEC-INTO-POD exec-2',
    ]);
  });

  it('--state-file keeps burst counts and open exec sessions across a graceful restart and a kill, and says what it could not read', async (t) => {
    const dir = tempDir('audit-serve-state', t);
    const pki = makeWebhookPki(dir);
    const state = join(dir, 'state.json');
    const refusedAt = (index: number): Record<string, unknown> => listedEvent(`denied-${index}`, {
      verb: 'list', requestURI: '/api/v1/pods', objectRef: { resource: 'pods', apiVersion: 'v1' }, responseStatus: { code: 403 },
      annotations: { 'authorization.k8s.io/decision': 'forbid' }, stageTimestamp: `2026-12-03T17:00:${String(index).padStart(2, '0')}.000000Z`,
    });
    const started = { ...EXEC, auditID: 'exec-9', stage: 'ResponseStarted' };
    const ended = { ...EXEC, auditID: 'exec-9', stage: 'ResponseComplete' };
    const ids = (serve: { findings: readonly { finding: ServedFinding }[] }): string[] => serve.findings.map(({ finding }) => `${finding.controlId} ${finding.event.auditID}`);
    const run = async (extra: readonly string[], batch: readonly unknown[], how: 'stop' | 'kill'): Promise<{ ids: string[]; stderr: string }> => {
      const serve = await startServe(pki, extra);
      try {
        assert.equal((await request(serve.url, pki, 'POST', '/', eventList(batch))).status, 200);
        // The periodic save (every second here) is all a killed process leaves behind: wait until it holds the batch.
        if (how === 'kill') await waitFor(() => savedBurstTimes() === batch.length, 10_000, () => readFileSync(state, 'utf8'));
      } finally {
        if (how === 'kill') await serve.kill();
        else assert.equal(await serve.stop(), 0, serve.stderr());
      }
      return { ids: ids(serve), stderr: serve.stderr() };
    };
    const savedBurstTimes = (): number => {
      try {
        const saved = JSON.parse(readFileSync(state, 'utf8')) as { rules: Record<string, { times: unknown[] }[]> };
        return saved.rules['AUDIT-FORBIDDEN-BURST']?.[0]?.times.length ?? 0;
      } catch {
        return 0;
      }
    };
    const withState = ['--state-file', state, '--state-interval', '1'];

    // Twelve denials and an exec session opened, then a graceful stop; eight more denials and the session's end after
    // it: one burst (20 in the window) and one exec finding, as one process that never stopped would report.
    const first = await run(withState, [...Array.from({ length: 12 }, (_, index) => refusedAt(index)), started], 'stop');
    assert.deepEqual(first.ids, ['AUDIT-EXEC-INTO-POD exec-9']);
    assert.match(first.stderr, /rules' memory in .*state\.json: nothing to restore/);
    const second = await run(withState, [...Array.from({ length: 8 }, (_, index) => refusedAt(12 + index)), ended], 'stop');
    assert.deepEqual(second.ids, ['AUDIT-FORBIDDEN-BURST denied-19']);
    assert.match(second.stderr, /restored for .*AUDIT-EXEC-INTO-POD.*AUDIT-FORBIDDEN-BURST/);

    // Without the file the same second half reports the session again and no burst: what the file is for.
    const forgetful = await run([], [...Array.from({ length: 8 }, (_, index) => refusedAt(12 + index)), ended], 'stop');
    assert.deepEqual(forgetful.ids, ['AUDIT-EXEC-INTO-POD exec-9']);

    // A killed process (no graceful stop) keeps what its last periodic save held.
    rmSync(state);
    await run(withState, Array.from({ length: 12 }, (_, index) => refusedAt(index)), 'kill');
    const afterKill = await run(withState, Array.from({ length: 8 }, (_, index) => refusedAt(12 + index)), 'stop');
    assert.deepEqual(afterKill.ids, ['AUDIT-FORBIDDEN-BURST denied-19']);

    // A damaged file is reported, and the rules start empty rather than the server not starting.
    writeFileSync(state, '{"kind": "KubehardenAuditServeState", "version": 1, "rules": ');
    const damaged = await run(withState, [refusedAt(0)], 'stop');
    assert.match(damaged.stderr, /--state-file .*state\.json: not JSON .*; the rules start with no memory of earlier events/);
    assert.equal((JSON.parse(readFileSync(state, 'utf8')) as { kind: string }).kind, 'KubehardenAuditServeState', 'the next save replaces it');
  });

  it('refuses to start without its certificates, or with a listen address it cannot read', () => {
    const cases = [
      [['audit', 'serve', '--listen', '127.0.0.1:0'], /needs --tls-cert, --tls-key and --client-ca/],
      [['audit', 'serve', '--listen', 'localhost', '--tls-cert', 'a', '--tls-key', 'b', '--client-ca', 'c'], /--listen must be ADDRESS:PORT/],
      [['audit', 'serve', '--listen', '127.0.0.1:0', '--tls-cert', '/nonexistent.crt', '--tls-key', 'b', '--client-ca', 'c'], /--tls-cert \/nonexistent.crt: no such file/],
    ] as const;
    for (const [args, message] of cases) {
      const result = runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    }
  });
});

describe('audit serve: the bounded queue', () => {
  it('answers 429 with Retry-After when the output holds the queue full, counts the refused events, and runs every accepted one once the output drains', async (t) => {
    const pki: WebhookPki = makeWebhookPki(tempDir('audit-serve-queue', t));
    // An output that takes one finding and then stops reading until released: backpressure as a slow disk or pipe.
    let release: (() => void) | undefined;
    const written: string[] = [];
    const output = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        if (written.length === 1) release = done;
        else done();
      },
    });
    const webhook = await startAuditWebhook({
      host: '127.0.0.1', port: 0, queueCapacity: 3, rules: DETECTION_RULES, settings: DEFAULT_DETECTION_SETTINGS, output,
      tls: { cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), clientCa: readFileSync(pki.caCert) },
    });
    const url = `https://127.0.0.1:${webhook.address.port}`;
    const execs = (from: number, count: number) => eventList(Array.from({ length: count }, (_, i) => ({ ...EXEC, auditID: `exec-${from + i}` })));
    try {
      // The first batch runs and its first finding blocks the output; the next two fill the queue to 3.
      assert.equal((await request(url, pki, 'POST', '/', execs(0, 2))).status, 200);
      await waitFor(() => release !== undefined, 5_000, () => 'the output never got a finding');
      assert.equal((await request(url, pki, 'POST', '/', execs(2, 2))).status, 200);
      assert.equal((await request(url, pki, 'POST', '/', execs(4, 1))).status, 200);
      assert.equal(webhook.queueDepth(), 3);
      const full = await request(url, pki, 'POST', '/', execs(5, 1));
      assert.equal(full.status, 429, full.text);
      assert.equal(full.headers['retry-after'], '1');
      assert.deepEqual((JSON.parse(full.text) as { reason: string; details: unknown }).details, { retryAfterSeconds: 1 });
      const metrics = (await request(url, pki, 'GET', '/metrics')).text;
      assert.equal(metric(metrics, 'kubeharden_audit_batches_refused_total{reason="queue_full"}'), 1);
      assert.equal(metric(metrics, 'kubeharden_audit_events_refused_total'), 1);
      assert.equal(metric(metrics, 'kubeharden_audit_queue_depth'), 3);
      // The API server sends the refused batch again once the output drains: nothing is lost.
      (release as () => void)();
      await waitFor(() => webhook.queueDepth() === 0, 5_000, () => `queue depth ${webhook.queueDepth()}`);
      assert.equal((await request(url, pki, 'POST', '/', execs(5, 1))).status, 200);
    } finally {
      await webhook.close();
    }
    assert.deepEqual(written.map((line) => (JSON.parse(line) as { event: { auditID: string } }).event.auditID), ['exec-0', 'exec-1', 'exec-2', 'exec-3', 'exec-4', 'exec-5']);
    assert.equal(webhook.metrics.eventsProcessed, 6);
  });
});
