/** `kubeharden audit serve`: the audit webhook backend on the command line, running until SIGINT or SIGTERM. */
import { createWriteStream, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { DetectionRule } from '../audit/detect/rule.js';
import { HttpOutput } from '../audit/serve/http-output.js';
import type { HttpShape } from '../audit/serve/choices.js';
import { startAuditWebhook } from '../audit/serve/webhook-server.js';
import { detectionSettings, positiveInteger, type DetectOptions } from './audit-command.js';
import { UsageError } from './usage-error.js';
import { stopSignal } from './stop-signal.js';

export interface ServeOptions extends DetectOptions {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  output: string;
  outputShape: HttpShape;
  queue: string;
  stateFile?: string;
  stateInterval: string;
}

export async function runAuditServe(options: ServeOptions, rules: readonly DetectionRule[]): Promise<number> {
  const { host, port } = listenAddress(options.listen);
  if (!options.tlsCert || !options.tlsKey || !options.clientCa) {
    throw new UsageError('audit serve needs --tls-cert, --tls-key and --client-ca: the API server sends audit events only over TLS, and is known by its client certificate');
  }
  const tls = { cert: readPem('--tls-cert', options.tlsCert), key: readPem('--tls-key', options.tlsKey), clientCa: readPem('--client-ca', options.clientCa) };
  const settings = detectionSettings(options);
  const queueCapacity = positiveInteger('--queue', options.queue);
  const state = options.stateFile ? { file: options.stateFile, intervalMs: positiveInteger('--state-interval', options.stateInterval) * 1000 } : undefined;
  const warn = (message: string): void => void process.stderr.write(`kubeharden audit serve: ${message}\n`);
  const http = /^https?:\/\//i.test(options.output) ? new HttpOutput(endpoint(options.output), { shape: options.outputShape, warn }) : undefined;
  // A file is appended to: a restart adds to the findings written before it.
  const output: Writable = http ?? (options.output === 'stdout' ? process.stdout : createWriteStream(options.output, { flags: 'a' }));
  const webhook = await startAuditWebhook({
    host,
    port,
    tls,
    queueCapacity,
    rules,
    settings,
    output,
    warn,
    ...(state ? { state } : {}),
    ...(http ? { undelivered: () => http.undelivered } : {}),
  });
  const shown = webhook.address.family === 'IPv6' ? `[${webhook.address.address}]` : webhook.address.address;
  const stopped = stopSignal();
  if (state) process.stderr.write(`kubeharden audit serve: rules' memory in ${state.file}: ${webhook.restoredRules.length === 0 ? 'nothing to restore' : `restored for ${webhook.restoredRules.join(', ')}`}\n`);
  process.stderr.write(`kubeharden audit serve: listening on https://${shown}:${webhook.address.port} (${rules.length} rules, queue of ${queueCapacity} events)\n`);
  const signal = await stopped;
  process.stderr.write(`kubeharden audit serve: ${signal}: running the ${webhook.queueDepth()} queued events, then stopping\n`);
  await webhook.close();
  if (output !== process.stdout) await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return 0;
}

/** `127.0.0.1:8443`, `[::1]:8443`, `:8443` (every address). */
export function listenAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new UsageError(`--listen must be ADDRESS:PORT (127.0.0.1:8443, [::1]:8443, :8443), not "${text}"`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

function endpoint(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new UsageError(`--output ${text}: not a URL`);
  }
}

function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
