/**
 * Small servers on 127.0.0.1 for the API client's tests: a fake API server for the faults a real one cannot show
 * (a repeated continue token, a body that never ends, one byte a second), a reverse proxy that serves the real
 * API server under a path prefix, and a CONNECT proxy. Each records what it saw and is closed by the test
 * (`t.after(() => server.close())`); a forgotten one ends itself after a minute.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import yaml from 'js-yaml';

const SELF_STOP_MS = 60_000;

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  /** `METHOD path` (or `CONNECT host:port`) of every request, in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

async function listen(server: Server, scheme: 'http' | 'https' | 'socks5', seen: string[]): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(selfStop);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
    return closed;
  };
  const selfStop = setTimeout(() => void close(), SELF_STOP_MS);
  selfStop.unref();
  return { url: `${scheme}://127.0.0.1:${port}`, port, seen, close };
}

/** A plain-HTTP server whose answers `handle` writes. */
export function startFakeServer(handle: (request: http.IncomingMessage, response: http.ServerResponse, index: number) => void): Promise<LocalServer> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    handle(request, response, seen.length - 1);
  });
  return listen(server, 'http', seen);
}

export interface ReverseProxyOptions {
  /** The real API server. */
  readonly upstream: string;
  readonly upstreamCa: string;
  /** Served under this path (Rancher: `/k8s/clusters/c-1`); anything else is 404. */
  readonly prefix: string;
  /** TLS for the proxy itself (PEM); plain HTTP without. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Waits this long before forwarding each request (a slow network, to make a scan outlast a credential). */
  readonly delayMs?: number;
}

/** Serves the upstream API server under `prefix`, passing the client's headers (its Authorization) through. */
export function startReverseProxy(options: ReverseProxyOptions): Promise<LocalServer & { authorizations: string[] }> {
  const seen: string[] = [];
  const authorizations: string[] = [];
  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    seen.push(`${request.method} ${request.url}`);
    authorizations.push(request.headers.authorization ?? '');
    const url = request.url ?? '';
    if (!url.startsWith(`${options.prefix}/`)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not under the prefix');
      return;
    }
    const forward = () => {
      const upstream = https.request(
        new URL(url.slice(options.prefix.length), options.upstream),
        { method: request.method, headers: { ...request.headers, host: new URL(options.upstream).host }, ca: options.upstreamCa },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', (error) => response.writeHead(502).end(error.message));
      request.pipe(upstream);
    };
    if (options.delayMs) setTimeout(forward, options.delayMs);
    else forward();
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
  return listen(server, options.tls ? 'https' : 'http', seen).then((started) => ({ ...started, authorizations }));
}

/** An HTTP CONNECT proxy that records each tunnel and connects `aliases` (a host name) to their address instead. */
export async function startConnectProxy(aliases: Readonly<Record<string, string>> = {}): Promise<LocalServer> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    response.writeHead(405).end();
  });
  server.on('connect', (request: http.IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url}`);
    const [host = '', port = '443'] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), aliases[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  return listen(server, 'http', seen);
}

/** A SOCKS5 proxy (no authentication, host names only) that records each tunnel and connects `aliases` instead. */
export async function startSocksProxy(aliases: Readonly<Record<string, string>> = {}): Promise<LocalServer> {
  const seen: string[] = [];
  const server = createServer((client) => {
    let buffered = Buffer.alloc(0);
    let greeted = false;
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!greeted) {
        const methods = buffered[1] ?? 255;
        if (buffered.length < 2 + methods) return;
        buffered = buffered.subarray(2 + methods);
        greeted = true;
        client.write(Buffer.from([5, 0]));
      }
      // CONNECT request with a domain name: 5 1 0 3 LEN NAME PORT
      const length = buffered[4] ?? 0;
      if (buffered.length < 7 + length) return;
      client.off('data', onData);
      if (buffered[3] !== 3) return void client.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0]));
      const host = buffered.subarray(5, 5 + length).toString();
      const port = buffered.readUInt16BE(5 + length);
      seen.push(`SOCKS ${host}:${port}`);
      const upstream = connect(port, aliases[host] ?? host, () => {
        client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0])));
      client.on('error', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  return listen(server, 'socks5', seen);
}

export interface KubeconfigUser {
  readonly token?: string;
  readonly exec?: Record<string, unknown>;
  readonly 'auth-provider'?: Record<string, unknown>;
}

/** A one-context kubeconfig at dir/name. */
export function writeKubeconfig(dir: string, name: string, server: string, user: KubeconfigUser, cluster: Record<string, unknown> = {}): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    yaml.dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
    { mode: 0o600 },
  );
  return path;
}
