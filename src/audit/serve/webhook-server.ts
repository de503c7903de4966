/**
 * `audit serve`: an audit webhook backend. kube-apiserver's webhook batch backend POSTs `audit.k8s.io/v1`
 * EventList batches over mutual TLS; each batch is checked by the log parser (the same shape checks as `audit
 * detect`), queued, and run through one long-lived detector, whose findings go to the output as JSON lines.
 *
 * The queue is bounded in events. A batch that does not fit is answered 429 with Retry-After: the API server's
 * client retries it, then its batch backend backs off and sends it again, so a slow output costs latency, not
 * events; the refusals are counted in /metrics. A batch is answered 200 once queued, not once detected: the
 * detector is synchronous and fast, and only a slow output lets the queue grow.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import type { InputError } from '../../loader/source.js';
import type { LoggedEvent } from '../event.js';
import { createDetector, type Detector } from '../detect/engine.js';
import { detectionFinding } from '../detect/finding.js';
import type { DetectionRule, DetectionSettings } from '../detect/rule.js';
import { AuditLogParser, DEFAULT_MAX_LINE_BYTES } from '../log/parse-log.js';
import { ServeMetrics } from './metrics.js';
import { readStateFile, writeStateFile } from './state-file.js';

export interface AuditWebhookOptions {
  readonly host: string;
  readonly port: number;
  /** PEM: the server's certificate and key, and the CA that signed the API server's client certificate. */
  readonly tls: { readonly cert: Buffer; readonly key: Buffer; readonly clientCa: Buffer };
  /** Events accepted and not yet run through the rules, at most. */
  readonly queueCapacity: number;
  readonly maxBatchBytes?: number;
  readonly rules: readonly DetectionRule[];
  readonly settings: DetectionSettings;
  /** Where findings go, one JSON line each; its backpressure holds the queue. */
  readonly output: Writable;
  /** Findings the output gave up on delivering, for /metrics (an HTTP output's count). */
  readonly undelivered?: () => number;
  /** Problems worth an operator's eye (invalid batches); default: ignored. */
  readonly warn?: (message: string) => void;
  /**
   * Where the rules' memory (bursts, open exec sessions) is kept across restarts: read at start, written every
   * `intervalMs` while events arrive, and after the queue has drained at `close()`.
   */
  readonly state?: { readonly file: string; readonly intervalMs: number };
}

export interface AuditWebhook {
  readonly address: AddressInfo;
  readonly metrics: ServeMetrics;
  /** The rules whose memory came back from the state file. */
  readonly restoredRules: readonly string[];
  queueDepth(): number;
  /** Stops accepting batches, runs what is queued, flushes the rules, and resolves when the output has it all. */
  close(): Promise<void>;
}

import { DEFAULT_QUEUE_CAPACITY } from './choices.js';
/** Seconds a refused batch is told to wait: the queue drains thousands of events in that time. */
const RETRY_AFTER_SECONDS = 1;
const CLOSE_GRACE_MS = 5_000;

export async function startAuditWebhook(options: AuditWebhookOptions): Promise<AuditWebhook> {
  const metrics = new ServeMetrics(options.rules.map((rule) => rule.meta.id));
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_LINE_BYTES;
  const queue: LoggedEvent[][] = [];
  let depth = 0;
  let batchNumber = 0;
  let closing = false;
  const detector = createDetector(options.rules, options.settings, (hit) => {
    metrics.finding(hit.rule.meta.id);
    options.output.write(`${JSON.stringify(detectionFinding(hit))}\n`);
  });

  const restoredRules = options.state ? restoreState(detector, options.state.file, options.warn) : [];
  let savedAt = -1;
  metrics.stateSaves = options.state ? { ok: 0, failed: 0 } : undefined;
  const saveState = (): void => {
    const { state } = options;
    const saves = metrics.stateSaves;
    if (!state || !saves || metrics.eventsProcessed === savedAt) return;
    try {
      writeStateFile(state.file, detector.saveState());
      savedAt = metrics.eventsProcessed;
      saves.ok++;
    } catch (error) {
      saves.failed++;
      options.warn?.(`could not save the rules' memory to ${state.file}: ${(error as Error).message}`);
    }
  };
  const saving = options.state ? setInterval(saveState, options.state.intervalMs) : undefined;
  saving?.unref();

  // One batch per turn of the event loop, so requests keep being answered while a backlog drains.
  let draining: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.shift() as LoggedEvent[];
      for (const logged of batch) detector.event(logged);
      depth -= batch.length;
      metrics.eventsProcessed += batch.length;
      if (options.output.writableNeedDrain) await new Promise((resolve) => options.output.once('drain', resolve));
      else await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const schedule = (): void => {
    draining ??= drain().finally(() => (draining = undefined));
  };

  const accept = (body: Buffer, response: ServerResponse): void => {
    const errors: InputError[] = [];
    const parser = new AuditLogParser(`webhook batch ${++batchNumber}`, errors, { maxLineBytes: maxBatchBytes, maxErrorsPerFile: Number.MAX_SAFE_INTEGER });
    const events = [...parser.push(body), ...parser.finish()];
    if (events.length === 0 && errors.length > 0) {
      metrics.batchesRefused.invalid++;
      const problems = errors.slice(0, 3).map((error) => (error.line === null ? error.message : `line ${error.line}: ${error.message}`));
      options.warn?.(`refused ${parser.file}: ${problems.join('; ')}`);
      return reply(response, 400, status(400, 'BadRequest', `not an audit.k8s.io EventList: ${problems.join('; ')}`));
    }
    // A batch larger than the whole queue still goes in when the queue is empty, or it would be refused forever.
    if (depth > 0 && depth + events.length > options.queueCapacity) {
      metrics.batchesRefused.queue_full++;
      metrics.eventsRefused += events.length;
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return reply(response, 429, status(429, 'TooManyRequests', `queue full (${depth} of ${options.queueCapacity} events)`, { retryAfterSeconds: RETRY_AFTER_SECONDS }));
    }
    if (errors.length > 0) options.warn?.(`${parser.file}: skipped ${errors.length} item(s): ${errors[0]?.message}`);
    metrics.batchesAccepted++;
    metrics.eventsReceived += events.length;
    metrics.eventsInvalid += errors.length;
    if (events.length > 0) {
      queue.push(events);
      depth += events.length;
      schedule();
    }
    reply(response, 200, status(200, '', 'accepted'));
  };

  const server = https.createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      ca: options.tls.clientCa,
      minVersion: 'TLSv1.2',
      // Only a client with a certificate from --client-ca gets past the handshake: the API server, and whoever
      // the operator gave such a certificate (a Prometheus scraping /metrics).
      requestCert: true,
      rejectUnauthorized: true,
    },
    (request, response) => route(request, response),
  );

  const route = (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') return reply(response, 200, 'ok\n', 'text/plain');
    if (request.method === 'GET' && path === '/metrics') return reply(response, 200, metrics.render(depth, options.queueCapacity, options.undelivered?.()), 'text/plain; version=0.0.4');
    if (request.method !== 'POST') return reply(response, 405, status(405, 'MethodNotAllowed', 'POST audit.k8s.io EventList batches; GET /healthz or /metrics'));
    if (closing) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return reply(response, 503, status(503, 'ServiceUnavailable', 'shutting down', { retryAfterSeconds: RETRY_AFTER_SECONDS }));
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      bytes += chunk.length;
      if (bytes > maxBatchBytes) {
        tooLarge = true;
        chunks.length = 0;
        metrics.batchesRefused.too_large++;
        options.warn?.(`refused a batch of more than ${maxBatchBytes} bytes`);
        reply(response, 413, status(413, 'RequestEntityTooLarge', `batch larger than ${maxBatchBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!tooLarge) accept(Buffer.concat(chunks), response);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    address: server.address() as AddressInfo,
    metrics,
    restoredRules,
    queueDepth: () => depth,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // The API server keeps its connection open between batches; the ones still busy get a moment to finish.
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(cut);
      while (draining) await draining;
      clearInterval(saving);
      // Saved before end(): the memory a restart needs is the one of a detector still running.
      saveState();
      detector.end();
    },
  };
}

/** Gives the rules their memory from FILE; a file that cannot be used is reported and the rules start empty. */
function restoreState(detector: Detector, file: string, warn?: (message: string) => void): readonly string[] {
  let saved;
  try {
    saved = readStateFile(file);
  } catch (error) {
    warn?.(`--state-file ${file}: ${(error as Error).message}; the rules start with no memory of earlier events`);
    return [];
  }
  if (!saved) return [];
  const { restored, refused } = detector.restoreState(saved);
  for (const { rule, reason } of refused) warn?.(`--state-file ${file}: ${rule}: ${reason}; this rule starts with no memory of earlier events`);
  return restored;
}

/** A metav1.Status, which the API server's client reads (and whose retryAfterSeconds it honours). */
function status(code: number, reason: string, message: string, details?: Record<string, unknown>): string {
  const failed = code >= 400;
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: failed ? 'Failure' : 'Success', message, ...(failed ? { reason } : {}), code, ...(details ? { details } : {}) });
}

function reply(response: ServerResponse, code: number, body: string, type = 'application/json'): void {
  if (response.headersSent) return;
  response.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
