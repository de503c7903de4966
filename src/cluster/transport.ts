/**
 * One HTTP exchange with the API server, bounded: the deadline covers the whole answer (connecting, a proxy's
 * tunnel, headers and the last byte of the body), and a body larger than the cap is cut off. An API server or proxy
 * that trickles one byte a second, or never stops sending, ends in an error instead of a hang or a full memory.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import { ConnectionError } from './connection-error.js';
import { hostOf } from './proxy.js';
import { openSocksTunnel } from './socks.js';

/** The answer was larger than the cap (`--max-response-size`). */
export class ResponseTooLargeError extends ConnectionError {}

export interface TlsSettings {
  readonly ca?: Buffer;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface Exchange {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly tls: TlsSettings;
  readonly proxy: URL | undefined;
  /** Keep-alive pool for direct connections (a tunnel is one connection per request). */
  readonly agent: http.Agent | undefined;
  readonly deadlineMs: number;
  readonly maxBytes: number;
  /** GET unless said (the agent writes its PolicyReports and asks TokenReviews). */
  readonly method?: string;
  /** A request body, sent with its length. */
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** GET `exchange.url`; resolves with any HTTP status, rejects with a ConnectionError when there is no whole answer. */
export function send(exchange: Exchange): Promise<RawResponse> {
  const { url } = exchange;
  const what = `${exchange.method ?? 'GET'} ${url.pathname}`;
  return new Promise<RawResponse>((resolve, reject) => {
    const { open, fail, finish, isSettled } = bounded(what, reject, exchange.deadlineMs, 'no complete answer');
    const onResponse = (response: http.IncomingMessage) => {
      open.push(response);
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > exchange.maxBytes) return fail(tooLarge(what, exchange.maxBytes));
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > exchange.maxBytes) return fail(tooLarge(what, exchange.maxBytes));
        chunks.push(chunk);
      });
      response.on('end', () => {
        if (!finish()) return;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on('error', fail);
      response.on('aborted', () => fail(new ConnectionError(`${what}: the connection closed before the answer was complete`)));
    };
    const start = (request: http.ClientRequest) => {
      open.push(request);
      request.on('response', onResponse);
      request.on('error', fail);
      request.end(exchange.body);
    };
    dispatch(exchange, open, start, fail, isSettled);
  });
}

/**
 * Opens a long-lived GET (a watch) and resolves with the answer as soon as its headers arrive; the body is the
 * caller's to read. Only the connection and headers are bounded by the deadline: a watch sends for minutes.
 */
export function openStream(exchange: Exchange): Promise<http.IncomingMessage> {
  const what = `${exchange.method ?? 'GET'} ${exchange.url.pathname}`;
  return new Promise((resolve, reject) => {
    const { open, fail, finish, isSettled } = bounded(what, reject, exchange.deadlineMs, 'no answer');
    const start = (request: http.ClientRequest) => {
      open.push(request);
      request.on('response', (response) => {
        if (!finish()) return response.destroy();
        resolve(response);
      });
      request.on('error', fail);
      request.end(exchange.body);
    };
    dispatch(exchange, open, start, fail, isSettled);
  });
}

/** One exchange's bookkeeping: what to destroy on failure, the deadline, and that it settles once. */
function bounded(what: string, reject: (error: Error) => void, deadlineMs: number, missing: string) {
  const open: { destroy(error?: Error): void }[] = [];
  let settled = false;
  const fail = (error: Error) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    for (const stream of open) stream.destroy();
    reject(error instanceof ConnectionError ? error : new ConnectionError(`${what}: ${error.message}`));
  };
  const timer = setTimeout(() => fail(new ConnectionError(`${what}: ${missing} within ${deadlineMs / 1000} s (--request-timeout)`)), deadlineMs);
  /** Marks the exchange settled; false when it already was (failed meanwhile). */
  const finish = (): boolean => {
    if (settled) return false;
    settled = true;
    clearTimeout(timer);
    return true;
  };
  return { open, fail, finish, isSettled: () => settled };
}

/** Sends the request directly, through an HTTP proxy, or through a CONNECT or SOCKS tunnel, as the exchange says. */
function dispatch(exchange: Exchange, open: { destroy(error?: Error): void }[], start: (request: http.ClientRequest) => void, fail: (error: Error) => void, settled: () => boolean): void {
  const { url } = exchange;
  const proxy = exchange.proxy;
  if (!proxy) {
    const transport = url.protocol === 'http:' ? http : https;
    return start(transport.request(url, { method: exchange.method ?? 'GET', headers: exchange.headers, agent: exchange.agent, ...tlsOptions(exchange.tls, url) }));
  }
  if (url.protocol === 'http:' && !proxy.protocol.startsWith('socks5')) {
    // A plain-HTTP API server through an HTTP proxy: the proxy gets the absolute URL, as Go's transport sends it.
    const transport = proxy.protocol === 'https:' ? https : http;
    return start(
      transport.request({
        host: hostOf(proxy),
        port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
        method: exchange.method ?? 'GET',
        path: url.href,
        headers: { ...exchange.headers, Host: url.host, ...proxyAuthorization(proxy) },
        agent: false,
      }),
    );
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const tunnel = proxy.protocol.startsWith('socks5') ? openSocksTunnel(proxy, hostOf(url), port, open) : openTunnel(proxy, url, open);
  tunnel
    .then((socket) => {
      open.push(socket);
      if (settled()) return socket.destroy();
      if (url.protocol === 'http:') return start(http.request(url, { method: exchange.method ?? 'GET', headers: exchange.headers, createConnection: () => socket }));
      const secure = tls.connect({ socket, ...tlsOptions(exchange.tls, url) });
      open.push(secure);
      start(https.request(url, { method: exchange.method ?? 'GET', headers: exchange.headers, createConnection: () => secure }));
    })
    .catch(fail);
}

function tooLarge(what: string, maxBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`${what}: the answer is larger than ${formatSize(maxBytes)} (--max-response-size)`);
}

export function formatSize(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

function tlsOptions(settings: TlsSettings, url: URL): tls.ConnectionOptions {
  const host = hostOf(url);
  const servername = settings.servername ?? (isIP(host) === 0 ? host : undefined);
  return {
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.cert ? { cert: settings.cert } : {}),
    ...(settings.key ? { key: settings.key } : {}),
    rejectUnauthorized: settings.rejectUnauthorized,
    ...(servername ? { servername } : {}),
  };
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** An HTTP CONNECT tunnel through `proxy` to the API server's host and port. */
function openTunnel(proxy: URL, target: URL, open: { destroy(error?: Error): void }[]): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || 443}`;
  const transport = proxy.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request({
      host: hostOf(proxy),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers: { Host: authority, ...proxyAuthorization(proxy) },
      agent: false,
    });
    open.push(request);
    request.on('connect', (response: http.IncomingMessage, socket: Socket) => {
      open.push(socket);
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new ConnectionError(`proxy ${proxy.host} refused to connect to ${authority}: HTTP ${response.statusCode}`));
        return;
      }
      resolve(socket);
    });
    request.on('error', (error) => reject(new ConnectionError(`proxy ${proxy.host}: ${error.message}`)));
    request.end();
  });
}
