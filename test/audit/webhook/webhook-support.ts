/**
 * What the `audit serve` tests share: certificates made with the `openssl` CLI (as an operator would), the compiled
 * CLI running `audit serve` as a child process, and an HTTPS client that presents a client certificate.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import https from 'node:https';
import { join } from 'node:path';
import { CLI, PROJECT_ROOT } from '../../support/paths.js';

export interface WebhookPki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Signed by the CA: the API server's client certificate. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate from another CA, which must not get in. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: readonly string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error || result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.error?.message ?? result.stderr.trim()} (the tests need the openssl command: apt-get install openssl)`);
}

function ca(dir: string, name: string): void {
  openssl(['req', '-x509', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

function signed(dir: string, issuer: string, name: string, subject: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(['req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

export function makeWebhookPki(dir: string): WebhookPki {
  ca(dir, 'audit-ca');
  ca(dir, 'stranger-ca');
  signed(dir, 'audit-ca', 'server', '/CN=kubeharden-audit', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'audit-ca', 'client', '/CN=kube-apiserver-audit', 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  signed(dir, 'stranger-ca', 'stranger', '/CN=stranger', 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  const at = (file: string) => join(dir, file);
  return {
    caCert: at('audit-ca.crt'), serverCert: at('server.crt'), serverKey: at('server.key'),
    clientCert: at('client.crt'), clientKey: at('client.key'), strangerCert: at('stranger.crt'), strangerKey: at('stranger.key'),
  };
}

export interface ServedFinding {
  readonly controlId: string;
  readonly message: string;
  readonly resource: { readonly kind: string; readonly namespace: string | null; readonly name: string | null };
  readonly event: { readonly user: string; readonly auditID: string; readonly verb: string };
}

export interface ServeProcess {
  readonly url: string;
  readonly port: number;
  /** The findings written to standard output so far, with the time each line arrived. */
  readonly findings: { readonly finding: ServedFinding; readonly at: number }[];
  stderr(): string;
  /** SIGTERM, then the exit code once it ended. */
  stop(): Promise<number | null>;
  /** SIGKILL: no graceful stop, as when the process is OOM-killed. */
  kill(): Promise<number | null>;
}

/** `kubeharden audit serve --listen 127.0.0.1:0 … EXTRA`, resolved once it says where it listens. */
export function startServe(pki: WebhookPki, extra: readonly string[] = []): Promise<ServeProcess> {
  const args = ['audit', 'serve', '--listen', '127.0.0.1:0', '--tls-cert', pki.serverCert, '--tls-key', pki.serverKey, '--client-ca', pki.caCert, ...extra];
  const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
  const findings: { finding: ServedFinding; at: number }[] = [];
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    let newline: number;
    while ((newline = stdout.indexOf('\n')) !== -1) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      findings.push({ finding: JSON.parse(line) as ServedFinding, at: Date.now() });
    }
  });
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (https:\/\/127\.0\.0\.1:(\d+))/.exec(stderr);
      if (match) {
        resolve({
          url: match[1] as string,
          port: Number(match[2]),
          findings,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: () => {
            child.kill('SIGKILL');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`audit serve ended (${code}) before listening: ${stderr}`)));
  });
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A request to `audit serve` with a client certificate (the API server's unless told otherwise). */
export function request(url: string, pki: WebhookPki, method: string, path: string, body?: string, client: { cert: string; key: string } = { cert: pki.clientCert, key: pki.clientKey }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = https.request(new URL(path, url), {
      method,
      ca: readFileSync(pki.caCert),
      cert: readFileSync(client.cert),
      key: readFileSync(client.key),
      headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** Resolves once CHECK holds (polled every 50 ms), or rejects after TIMEOUT_MS with what DESCRIBE says. */
export async function waitFor(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An event as the webhook backend writes it inside an EventList: no kind, no apiVersion. */
export function listedEvent(id: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    level: 'Request', auditID: id, stage: 'ResponseComplete', user: { username: 'mallory', groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.9'], requestReceivedTimestamp: '2026-12-03T17:00:00.000000Z', stageTimestamp: '2026-12-03T17:00:00.010000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow' }, ...fields,
  };
}

export const EXEC = listedEvent('exec-1', { verb: 'create', requestURI: '/api/v1/namespaces/shop/pods/web/exec?command=ls&stdout=true', objectRef: { resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web', apiVersion: 'v1' }, responseStatus: { code: 101 } });
export const SECRET_LIST = listedEvent('secrets-1', { verb: 'list', requestURI: '/api/v1/namespaces/kube-system/secrets', objectRef: { resource: 'secrets', namespace: 'kube-system', apiVersion: 'v1' }, responseStatus: { code: 200 } });
export const CONFIGMAP_GET = listedEvent('cm-1', { verb: 'get', requestURI: '/api/v1/namespaces/shop/configmaps/a', objectRef: { resource: 'configmaps', namespace: 'shop', name: 'a', apiVersion: 'v1' }, responseStatus: { code: 200 } });

export function eventList(items: readonly unknown[]): string {
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
}

/** A sample's value in Prometheus text. */
export function metric(text: string, name: string): number {
  const match = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(text);
  assert.ok(match, `${name} in\n${text}`);
  return Number(match[1]);
}
