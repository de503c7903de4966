/**
 * Findings POSTed to an HTTP endpoint, one request per finding, in order: as the finding's JSON (`json`), or as a
 * chat message `{"text": "…"}` (`text`), the shape Slack incoming webhooks and Microsoft Teams workflow and
 * connector webhooks accept. A write completes when the endpoint answered 2xx, so a slow endpoint holds the queue
 * (and the API server is answered 429) instead of findings piling up in memory. An endpoint that keeps failing is
 * retried with backoff, then the finding is reported on stderr as undelivered and counted.
 */
import http from 'node:http';
import https from 'node:https';
import { Writable } from 'node:stream';
import type { Finding } from '../../vocabulary/finding.js';

import type { HttpShape } from './choices.js';

export interface HttpOutputOptions {
  readonly shape: HttpShape;
  /** Waits before each retry; the finding is given up after the last. */
  readonly retryDelaysMs?: readonly number[];
  readonly timeoutMs?: number;
  readonly warn: (message: string) => void;
}

const DEFAULT_RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];

export class HttpOutput extends Writable {
  delivered = 0;
  undelivered = 0;

  constructor(
    private readonly url: URL,
    private readonly options: HttpOutputOptions,
  ) {
    // One finding (one JSON line) at a time: the write callback is the endpoint's answer.
    super({ highWaterMark: 1, decodeStrings: false });
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const finding = JSON.parse(chunk.toString()) as Finding;
    const body = this.options.shape === 'json' ? JSON.stringify(finding) : JSON.stringify({ text: chatText(finding) });
    void this.deliver(body, finding).then(() => done());
  }

  private async deliver(body: string, finding: Finding): Promise<void> {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    let problem = '';
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
      problem = await post(this.url, body, this.options.timeoutMs ?? 10_000);
      if (problem === '') {
        this.delivered++;
        return;
      }
    }
    this.undelivered++;
    this.options.warn(`finding ${finding.controlId} (audit ID ${finding.event?.auditID ?? '?'}) not delivered to ${this.url.origin} after ${delays.length + 1} attempts: ${problem}`);
  }
}

/** `[HIGH] AUDIT-PRIVILEGED-POD A privileged pod was created: admin created pod … (Pod shop/debug; admin from 10.0.0.1 at …)`. */
export function chatText(finding: Finding): string {
  const { resource, event } = finding;
  const where = [resource.namespace, resource.name].filter(Boolean).join('/');
  const object = where ? `${resource.kind} ${where}` : resource.kind;
  const who = event ? `; ${event.user}${event.sourceIPs.length > 0 ? ` from ${event.sourceIPs.join(', ')}` : ''} at ${event.time}` : '';
  return `[${finding.severity.toUpperCase()}] ${finding.controlId} ${finding.title}: ${finding.message} (${object}${who})`;
}

/** '' when the endpoint answered 2xx, else what went wrong. */
function post(url: URL, body: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method: 'POST', timeout: timeoutMs, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => {
        const code = response.statusCode ?? 0;
        resolve(code >= 200 && code < 300 ? '' : `HTTP ${code}`);
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on('error', (error) => resolve(error.message));
    request.end(body);
  });
}
