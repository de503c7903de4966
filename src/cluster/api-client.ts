import http from 'node:http';
import https from 'node:https';
import { Credentials, readKubeconfigReference, type AuthMaterial } from './credentials.js';
import { KubeconfigError, resolveKubeconfig } from './kubeconfig.js';
import { parseProxyUrl, proxyFor } from './proxy.js';
import { ConnectionError } from './connection-error.js';
import { openStream, send, type TlsSettings } from './transport.js';
import type { IncomingMessage } from 'node:http';

export { ConnectionError } from './connection-error.js';

/** Default cap on one answer's body (`--max-response-size`): a page of 500 large objects fits many times over. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Default bound on the pages of one list (`--max-list-pages`): 5 million objects at 500 a page. */
export const DEFAULT_MAX_LIST_PAGES = 10_000;
/** Answers of 429 (or 503 with Retry-After) retried per request, and the longest wait kubeharden accepts. */
export const MAX_RETRIES = 5;
export const MAX_RETRY_WAIT_MS = 30_000;
/** The wait after a 429 without Retry-After. */
const DEFAULT_RETRY_WAIT_MS = 1_000;

export interface ConnectOptions {
  /** A kubeconfig file; default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Deadline of each request's whole answer (headers and body). */
  readonly timeoutMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Largest answer body accepted; default DEFAULT_MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
  /** Most pages one list may take; default DEFAULT_MAX_LIST_PAGES. */
  readonly maxListPages?: number;
  /** `--allow-auth-provider-commands`: let a gcp/azure auth-provider run its cmd-path. */
  readonly allowAuthProviderCommands?: boolean;
  /** Proxy variables (HTTPS_PROXY, NO_PROXY...); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the in-cluster token and CA live; default the pod's own (tests point it elsewhere). */
  readonly inClusterDir?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: Buffer;
}

/**
 * Read-only access to the API server, as kubectl would reach it: the kubeconfig's context (kubeconfig.ts), its
 * credentials renewed as they expire (credentials.ts), the server URL's path kept as a prefix (Rancher's
 * `/k8s/clusters/c-1`), the proxy kubectl would use (proxy.ts), and bounded answers (transport.ts). Requests are
 * plain GETs so list pages arrive as the server's own JSON.
 */
export class ApiClient {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Every request made, for the report and the benchmark. */
  requests = 0;
  readonly maxListPages: number;
  private readonly maxResponseBytes: number;
  private readonly agent: http.Agent;

  private constructor(
    /** The server URL from the kubeconfig, path included. */
    readonly server: URL,
    readonly contextName: string | undefined,
    private readonly tls: TlsSettings,
    private readonly proxy: URL | undefined,
    private readonly credentials: Credentials,
    private readonly options: ConnectOptions,
  ) {
    this.maxListPages = options.maxListPages ?? DEFAULT_MAX_LIST_PAGES;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const agentOptions = { keepAlive: true, maxSockets: options.concurrency };
    this.agent = server.protocol === 'http:' ? new http.Agent(agentOptions) : new https.Agent(agentOptions);
  }

  static async connect(options: ConnectOptions): Promise<ApiClient> {
    const env = options.env ?? process.env;
    let resolved;
    try {
      resolved = resolveKubeconfig({ ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}), ...(options.context !== undefined ? { context: options.context } : {}), ...(options.inClusterDir !== undefined ? { inClusterDir: options.inClusterDir } : {}), env });
    } catch (error) {
      if (error instanceof KubeconfigError) throw new ConnectionError(error.message);
      throw error;
    }
    const { cluster } = resolved;
    const server = serverUrl(cluster.server);
    let ca: Buffer | undefined;
    if (cluster.certificateAuthority) {
      ca = readKubeconfigReference(cluster.certificateAuthority, 'certificate authority');
    } else if (cluster.certificateAuthorityData) {
      ca = Buffer.from(cluster.certificateAuthorityData, 'base64');
    }
    const tls: TlsSettings = { ...(ca ? { ca } : {}), rejectUnauthorized: !cluster.insecureSkipTlsVerify, ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}) };
    let proxy: URL | undefined;
    if (cluster.proxyUrl) {
      proxy = parseProxyUrl(cluster.proxyUrl);
      if (!proxy) throw new ConnectionError(`the kubeconfig's proxy-url "${cluster.proxyUrl}" is not a URL`);
    } else {
      proxy = proxyFor(server, env);
    }
    if (proxy && !['http:', 'https:', 'socks5:', 'socks5h:'].includes(proxy.protocol)) {
      throw new ConnectionError(`the proxy ${proxy.protocol}//${proxy.host} is not supported: kubeharden goes through http://, https:// and socks5:// proxies`);
    }
    const credentials = Credentials.forUser(resolved.user, resolved.userName, cluster, { allowAuthProviderCommands: options.allowAuthProviderCommands ?? false });
    // Credentials first: a plugin that fails or a refused auth-provider is a connection problem, said once.
    await credentials.material();
    return new ApiClient(server, resolved.contextName, tls, proxy, credentials, options);
  }

  /** The server as the user wrote it: origin and path, no trailing slash. */
  get serverName(): string {
    return `${this.server.origin}${basePath(this.server)}`;
  }

  /**
   * GET a path under the server's URL; resolves with any HTTP status, rejects only when there is no whole answer
   * (network, deadline, size cap). A 401 is retried once with renewed credentials; 429 waits as Retry-After asks.
   */
  async get(path: string, accept = 'application/json', anonymous = false): Promise<ApiResponse> {
    let renewed = false;
    for (let retries = 0; ; retries++) {
      const response = await this.once(path, accept, anonymous);
      if (response.status === 401 && response.material && !renewed && this.credentials.renew(response.material)) {
        renewed = true;
        continue;
      }
      const wait = retryWait(response.status, response.retryAfter);
      if (wait === undefined || retries >= MAX_RETRIES) return response;
      if (wait > MAX_RETRY_WAIT_MS) {
        throw new ConnectionError(`GET ${path.split('?')[0]}: the server asks to retry after ${Math.ceil(wait / 1000)} s (HTTP ${response.status}), longer than kubeharden waits (${MAX_RETRY_WAIT_MS / 1000} s)`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /**
   * A long-lived GET (a watch): the answer once its headers arrive, its body left to the caller. It takes no slot
   * of `concurrency`, since a watch per kind stays open for minutes.
   */
  async stream(path: string, accept = 'application/json'): Promise<IncomingMessage> {
    this.requests++;
    const material = await this.credentials.material();
    return openStream({
      url: new URL(`${this.server.origin}${basePath(this.server)}${path}`),
      headers: { ...material?.headers, Accept: accept, 'User-Agent': 'kubeharden' },
      tls: { ...this.tls, ...(material?.cert ? { cert: material.cert } : {}), ...(material?.key ? { key: material.key } : {}) },
      proxy: this.proxy,
      agent: undefined,
      deadlineMs: this.options.timeoutMs,
      maxBytes: this.maxResponseBytes,
    });
  }

  /**
   * A write (POST, PUT, PATCH, DELETE) with a JSON body: `kubeharden serve` keeps its PolicyReports and asks the
   * API server's TokenReview and SubjectAccessReview. Everything else kubeharden does is read-only. `accept` asks
   * for a smaller answer (the PolicyReport sink takes the written object's metadata alone). A Buffer body is JSON
   * already (the sink serializes each report once) and is sent as it is.
   */
  async write(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, contentType = 'application/json', accept = 'application/json'): Promise<ApiResponse> {
    await this.acquire();
    try {
      this.requests++;
      const material = await this.credentials.material();
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      const response = await send({
        url: new URL(`${this.server.origin}${basePath(this.server)}${path}`),
        headers: { ...material?.headers, Accept: accept, 'User-Agent': 'kubeharden', ...(payload ? { 'Content-Type': contentType, 'Content-Length': String(payload.length) } : {}) },
        tls: { ...this.tls, ...(material?.cert ? { cert: material.cert } : {}), ...(material?.key ? { key: material.key } : {}) },
        proxy: this.proxy,
        agent: this.agent,
        deadlineMs: this.options.timeoutMs,
        maxBytes: this.maxResponseBytes,
        method,
        ...(payload ? { body: payload } : {}),
      });
      return { status: response.status, body: response.body };
    } finally {
      this.release();
    }
  }

  /** Close idle keep-alive connections so the process can end. */
  close(): void {
    this.agent.destroy();
  }

  private async once(path: string, accept: string, anonymous: boolean): Promise<ApiResponse & { retryAfter: string | undefined; material: AuthMaterial | undefined }> {
    await this.acquire();
    try {
      this.requests++;
      const material = anonymous ? undefined : await this.credentials.material();
      const response = await send({
        url: new URL(`${this.server.origin}${basePath(this.server)}${path}`),
        headers: { ...material?.headers, Accept: accept, 'User-Agent': 'kubeharden' },
        tls: { ...this.tls, ...(material?.cert ? { cert: material.cert } : {}), ...(material?.key ? { key: material.key } : {}) },
        proxy: this.proxy,
        agent: this.agent,
        deadlineMs: this.options.timeoutMs,
        maxBytes: this.maxResponseBytes,
      });
      const retryAfter = response.headers['retry-after'];
      return { status: response.status, body: response.body, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, material };
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.options.concurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

/** A kubeconfig server: a URL, or `host:port` meaning HTTPS, as client-go reads it. */
function serverUrl(text: string): URL {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConnectionError(`the kubeconfig's server "${text}" is not an http:// or https:// URL`);
    return url;
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    throw new ConnectionError(`the kubeconfig's server "${text}" is not a URL`);
  }
}

/** `/k8s/clusters/c-1` of `https://rancher/k8s/clusters/c-1/`; empty for a server at the root. */
function basePath(server: URL): string {
  return server.pathname.replace(/\/+$/, '');
}

/** How long to wait before asking again, or undefined when the answer is final. */
function retryWait(status: number, retryAfter: string | undefined): number | undefined {
  if (status !== 429 && !(status === 503 && retryAfter !== undefined)) return undefined;
  if (retryAfter === undefined) return DEFAULT_RETRY_WAIT_MS;
  const seconds = Number(retryAfter.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? DEFAULT_RETRY_WAIT_MS : Math.max(0, date - Date.now());
}
