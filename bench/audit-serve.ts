/**
 * `audit serve` under load: the CLI in its own process, fed EventList batches of 400 events (the API server's
 * default --audit-webhook-batch-max-size) over mutual TLS by two concurrent clients at a fixed target rate for
 * --audit-serve-seconds (default 600). One event in a hundred is an exec (a finding); its audit ID carries the time
 * it was sent, so the finding's arrival on stdout gives ingestion-to-finding latency. Memory is the server's RSS,
 * sampled each second from /proc.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { CLI, PROJECT_ROOT } from '../test/support/paths.js';
import { tempDir } from '../test/support/temp-dir.js';
import { CONFIGMAP_GET, eventList, EXEC, makeWebhookPki } from '../test/audit/webhook/webhook-support.js';

const BATCH = 400;

export interface ServeBenchResult {
  readonly seconds: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly refusedBatches: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly rssMb: readonly number[];
}

export async function benchAuditServe(seconds: number, targetRate: number): Promise<ServeBenchResult> {
  const pki = makeWebhookPki(tempDir('bench-audit-serve'));
  const child = spawn(process.execPath, [CLI, 'audit', 'serve', '--listen', '127.0.0.1:0', '--tls-cert', pki.serverCert, '--tls-key', pki.serverKey, '--client-ca', pki.caCert], { cwd: PROJECT_ROOT });
  const port = await new Promise<number>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.on('close', (code) => reject(new Error(`audit serve ended (${code}): ${stderr}`)));
  });
  const latencies: number[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const id = /"auditID":"sent-(\d+)-/.exec(pending.slice(0, newline))?.[1];
      if (id) latencies.push(Date.now() - Number(id));
      pending = pending.slice(newline + 1);
    }
  });
  const rssMb: number[] = [];
  const sampler = setInterval(() => {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    if (rss) rssMb.push(Math.round(Number(rss) / 1024));
  }, 1000);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 2, ca: readFileSync(pki.caCert), cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) });
  let sequence = 0;
  const post = (): Promise<number> => {
    const now = Date.now();
    const items = Array.from({ length: BATCH }, (_, i) => (i % 100 === 0 ? { ...EXEC, auditID: `sent-${now}-${sequence++}` } : { ...CONFIGMAP_GET, auditID: `e-${sequence++}` }));
    const body = eventList(items);
    return new Promise((resolve, reject) => {
      const request = https.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', reject);
      request.end(body);
    });
  };
  const started = Date.now();
  let events = 0;
  let refusedBatches = 0;
  const client = async (): Promise<void> => {
    while (Date.now() - started < seconds * 1000) {
      // Paced to the target rate, shared by the two clients.
      const due = started + (events / targetRate) * 1000;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const code = await post();
      if (code === 200) events += BATCH;
      else refusedBatches++;
    }
  };
  await Promise.all([client(), client()]);
  const elapsed = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  clearInterval(sampler);
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('close', resolve));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { seconds: elapsed, events, eventsPerSecond: Math.round(events / elapsed), refusedBatches, latencyP50Ms: at(0.5), latencyP99Ms: at(0.99), rssMb };
}
