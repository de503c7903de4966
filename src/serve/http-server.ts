/**
 * The agent's HTTP endpoints: /healthz (the process answers), /readyz (every kind listed and judged once),
 * /metrics, and the read-only dashboard. Every answer forbids framing and any request leaving the page.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from './agent.js';
import { isLoopback, TokenAccess, type Permission } from './access.js';
import { Dashboard } from './dashboard.js';
import type { Metrics } from './metrics.js';

export interface ServeHttpOptions {
  /** `HOST:PORT`, `:PORT` (every interface) or `PORT` (loopback). */
  readonly listen: string;
  readonly agent: Agent;
  readonly metrics: Metrics;
  readonly dashboard: Dashboard | undefined;
  /** Off the loopback interface: checks bearer tokens against the API server. */
  readonly access: TokenAccess;
  readonly log?: (line: string) => void;
}

/** Nothing but the page itself: no scripts from elsewhere, no fetches, no images or fonts from outside. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:(.*):)?(\d+)$/.exec(listen.trim());
  if (!match) throw new Error(`--listen must be HOST:PORT, :PORT or PORT, not "${listen}"`);
  const port = Number(match[2]);
  if (port > 65535) throw new Error(`--listen: port ${port} is out of range`);
  const host = match[1] === undefined ? '127.0.0.1' : match[1] === '' ? '0.0.0.0' : match[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

export class ServeHttp {
  private readonly server: http.Server;
  private readonly open: boolean;

  constructor(private readonly options: ServeHttpOptions) {
    this.open = isLoopback(parseListen(options.listen).host);
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => {
        options.log?.(`HTTP ${request.method} ${request.url}: ${error.message}`);
        if (!response.headersSent) this.send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else response.end();
      });
    });
  }

  /** Starts listening; resolves with the port (useful with port 0). */
  listen(): Promise<number> {
    const { host, port } = parseListen(this.options.listen);
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return this.send(response, 405, 'text/plain; charset=utf-8', 'read-only: GET only\n', { Allow: 'GET, HEAD' });
    const url = new URL(request.url ?? '/', 'http://agent');
    if (url.pathname === '/healthz') return this.send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
    if (url.pathname === '/readyz') {
      return this.options.agent.isReady ? this.send(response, 200, 'text/plain; charset=utf-8', 'ok\n') : this.send(response, 503, 'text/plain; charset=utf-8', 'listing the cluster\n');
    }
    const permission: Permission = url.pathname === '/metrics' ? 'metrics' : 'dashboard';
    /** Which other clusters of the history this reader may see: on loopback, every one the dashboard shows. */
    let mayView: (cluster: string) => Promise<boolean> = () => Promise.resolve(true);
    if (!this.open) {
      const decision = await this.options.access.check(request.headers.authorization, permission);
      if (!decision.allowed) return this.send(response, decision.status, 'text/plain; charset=utf-8', `${decision.reason}\n`, decision.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
      mayView = (cluster) => this.options.access.allowsCluster(decision.reviewed, cluster);
    }
    if (url.pathname === '/metrics') return this.send(response, 200, 'text/plain; version=0.0.4; charset=utf-8', this.options.metrics.render());
    const dashboard = this.options.dashboard;
    if (!dashboard) return this.send(response, 404, 'text/plain; charset=utf-8', 'no dashboard: the agent keeps no history (--database)\n');
    const page = await dashboard.page(url, mayView);
    if (!page) return this.send(response, 404, 'text/html; charset=utf-8', '<!doctype html><title>Not found</title><p>Not found.</p>\n');
    return this.send(response, 200, 'text/html; charset=utf-8', page);
  }

  private send(response: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
    response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  }
}
