import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export interface ConnectOptions {
  /** A kubeconfig file; default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: Buffer;
}

export class ConnectionError extends Error {}

/**
 * Read-only access to the API server. Credentials come from the kubeconfig through @kubernetes/client-node (which
 * handles contexts, exec and token plugins, and in-cluster service accounts); requests are plain GETs so list
 * pages arrive as the server's own JSON, not as the generated model classes.
 */
export class ApiClient {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Every request made, for the report and the benchmark. */
  requests = 0;

  private constructor(
    readonly server: URL,
    readonly contextName: string | undefined,
    private readonly requestOptions: https.RequestOptions,
    private readonly anonymousOptions: https.RequestOptions,
    private readonly options: ConnectOptions,
  ) {}

  static async connect(options: ConnectOptions): Promise<ApiClient> {
    const config = new KubeConfig();
    try {
      if (options.kubeconfig !== undefined) config.loadFromFile(options.kubeconfig);
      else config.loadFromDefault();
      if (options.context !== undefined) {
        if (!config.getContextObject(options.context)) throw new ConnectionError(`no context "${options.context}" in the kubeconfig`);
        config.setCurrentContext(options.context);
      }
    } catch (error) {
      if (error instanceof ConnectionError) throw error;
      throw new ConnectionError(`cannot load the kubeconfig: ${(error as Error).message}`);
    }
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new ConnectionError('the kubeconfig names no cluster (set --kubeconfig, KUBECONFIG or --context)');
    let server: URL;
    try {
      server = new URL(cluster.server);
    } catch {
      throw new ConnectionError(`the kubeconfig's server "${cluster.server}" is not a URL`);
    }
    const requestOptions: https.RequestOptions = {};
    try {
      await config.applyToHTTPSOptions(requestOptions);
    } catch (error) {
      throw new ConnectionError(`cannot get credentials for the cluster: ${(error as Error).message}`);
    }
    // The anonymous probe trusts the same CA but sends no credentials at all.
    const anonymousOptions: https.RequestOptions = {
      ...(requestOptions.ca ? { ca: requestOptions.ca } : {}),
      ...(requestOptions.rejectUnauthorized !== undefined ? { rejectUnauthorized: requestOptions.rejectUnauthorized } : {}),
    };
    const contextName = config.getCurrentContext() || undefined;
    return new ApiClient(server, contextName, requestOptions, anonymousOptions, options);
  }

  /** GET a path; resolves with any HTTP status, rejects only when there is no answer (network, timeout). */
  async get(path: string, accept = 'application/json', anonymous = false): Promise<ApiResponse> {
    await this.acquire();
    try {
      this.requests++;
      return await this.send(path, accept, anonymous);
    } finally {
      this.release();
    }
  }

  private send(path: string, accept: string, anonymous: boolean): Promise<ApiResponse> {
    const base = anonymous ? this.anonymousOptions : this.requestOptions;
    const url = new URL(path, this.server);
    const headers = { ...(anonymous ? {} : (base.headers as Record<string, string> | undefined)), Accept: accept, 'User-Agent': 'kubeharden' };
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { ...base, method: 'GET', headers, timeout: this.options.timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new ConnectionError(`GET ${url.pathname} timed out after ${this.options.timeoutMs} ms`)));
      request.on('error', (error) => reject(error instanceof ConnectionError ? error : new ConnectionError(`GET ${url.pathname}: ${error.message}`)));
      request.end();
    });
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
