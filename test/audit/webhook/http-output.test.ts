/**
 * Findings POSTed to an HTTP endpoint (a local server standing in for a SIEM collector or a Slack/Teams webhook):
 * the CLI end to end in both shapes, and the output's retries and its count of what it gave up on.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { HttpOutput } from '../../../src/audit/serve/http-output.js';
import { startFakeServer } from '../../support/local-server.js';
import { tempDir } from '../../support/temp-dir.js';
import { eventList, EXEC, makeWebhookPki, metric, request, SECRET_LIST, startServe, waitFor } from './webhook-support.js';

function bodyOf(message: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    message.on('data', (chunk: Buffer) => (text += chunk.toString()));
    message.on('end', () => resolve(text));
  });
}

describe('audit serve --output http(s)://…', { timeout: 120_000 }, () => {
  const cases = [
    {
      shape: 'text',
      expected: [
        { text: "[MEDIUM] AUDIT-EXEC-INTO-POD Someone ran a command in, or attached to, a container: mallory exec'd into shop/web (command: ls) (Pod shop/web; mallory from 10.0.0.9 at 2026-12-03T17:00:00.010000Z)" },
        { text: '[MEDIUM] AUDIT-SECRET-READ Secrets were read by an unexpected identity: mallory listed the Secrets of kube-system (Secret kube-system; mallory from 10.0.0.9 at 2026-12-03T17:00:00.010000Z)' },
      ],
    },
    { shape: 'json', expected: ['AUDIT-EXEC-INTO-POD', 'AUDIT-SECRET-READ'] },
  ] as const;
  for (const { shape, expected } of cases) {
    it(`posts each finding, in order, as ${shape === 'text' ? 'a chat message {"text": …}' : 'the finding JSON'}`, async (t) => {
      const bodies: { type: string | undefined; body: unknown }[] = [];
      const endpoint = await startFakeServer((message, response) => {
        void bodyOf(message).then((text) => {
          bodies.push({ type: message.headers['content-type'], body: JSON.parse(text) });
          response.writeHead(200).end('ok');
        });
      });
      t.after(() => endpoint.close());
      const pki = makeWebhookPki(tempDir('audit-serve-http', t));
      const serve = await startServe(pki, ['--output', `${endpoint.url}/hooks/kubeharden`, '--output-shape', shape]);
      try {
        assert.equal((await request(serve.url, pki, 'POST', '/', eventList([EXEC, SECRET_LIST]))).status, 200);
        await waitFor(() => bodies.length >= 2, 5_000, () => JSON.stringify(bodies));
        assert.deepEqual(endpoint.seen, ['POST /hooks/kubeharden', 'POST /hooks/kubeharden']);
        assert.deepEqual(bodies.map((entry) => entry.type), ['application/json', 'application/json']);
        if (shape === 'text') assert.deepEqual(bodies.map((entry) => entry.body), expected);
        else assert.deepEqual(bodies.map((entry) => (entry.body as { controlId: string; event: { auditID: string } }).controlId), expected);
        assert.equal(metric((await request(serve.url, pki, 'GET', '/metrics')).text, 'kubeharden_audit_findings_undelivered_total'), 0);
      } finally {
        assert.equal(await serve.stop(), 0, serve.stderr());
      }
      assert.equal(serve.findings.length, 0, 'nothing on stdout');
    });
  }
});

describe('the HTTP output', () => {
  const line = `${JSON.stringify({ controlId: 'AUDIT-PRIVILEGED-POD', title: 'A privileged pod was created', severity: 'high', resource: { kind: 'Pod', namespace: 'shop', name: 'debug' }, message: 'admin created pod shop/debug with privileged container app', event: { auditID: 'a-1', user: 'admin', sourceIPs: [], time: 'T' } })}\n`;

  it('retries an endpoint that fails, and delivers once it answers 2xx', async (t) => {
    const endpoint = await startFakeServer((_message, response, index) => response.writeHead(index < 2 ? 503 : 204).end());
    t.after(() => endpoint.close());
    const warnings: string[] = [];
    const output = new HttpOutput(new URL(endpoint.url), { shape: 'json', retryDelaysMs: [10, 10, 10], warn: (message) => warnings.push(message) });
    await new Promise<void>((resolve) => output.end(line, () => resolve()));
    assert.deepEqual([endpoint.seen.length, output.delivered, output.undelivered, warnings], [3, 1, 0, []]);
  });

  it('gives a finding up after the last retry, says so and counts it', async (t) => {
    const endpoint = await startFakeServer((_message, response) => response.writeHead(500).end());
    t.after(() => endpoint.close());
    const warnings: string[] = [];
    const output = new HttpOutput(new URL(endpoint.url), { shape: 'text', retryDelaysMs: [10, 10], warn: (message) => warnings.push(message) });
    await new Promise<void>((resolve) => output.end(line, () => resolve()));
    assert.deepEqual([endpoint.seen.length, output.delivered, output.undelivered], [3, 0, 1]);
    assert.deepEqual(warnings, [`finding AUDIT-PRIVILEGED-POD (audit ID a-1) not delivered to ${endpoint.url} after 3 attempts: HTTP 500`]);
  });
});
