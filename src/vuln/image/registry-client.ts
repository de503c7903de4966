/**
 * A read-only client of the OCI distribution API (`/v2/<name>/manifests/<ref>`, `/v2/<name>/blobs/<digest>`):
 * anonymous, or authenticated as the registry's 401 asks: a bearer token from the realm of its `WWW-Authenticate`
 * challenge (with the Docker config's credentials when there are some, anonymous otherwise), or HTTP basic. A 429
 * is retried after its Retry-After, a bounded number of times. Redirects (blob storage on another host) are
 * followed by hand so credentials never travel to another origin.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ImageReference } from '../../kube/image-reference.js';
import { ImageError } from './digest.js';
import { CredentialHelperError, type BasicCredentials, type CredentialStore } from './docker-config.js';

export interface RegistryClientOptions {
  readonly credentials: CredentialStore;
  /** Hosts spoken to over plain HTTP; loopback hosts always are (as Docker allows for them). */
  readonly plainHttpHosts?: readonly string[];
  /** How many times a 429 is retried (default 3). */
  readonly maxRetries?: number;
  /** The longest Retry-After honoured, in milliseconds (default 60 s); a longer one fails at once. */
  readonly maxRetryWaitMs?: number;
  readonly userAgent?: string;
}

interface Challenge {
  readonly scheme: string;
  readonly params: Record<string, string>;
}

/** `Bearer realm="…",service="…",scope="…"`: quoted values may hold commas. */
export function parseChallenge(header: string): Challenge | null {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!match) return null;
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const param of match[2]!.matchAll(pattern)) params[param[1]!.toLowerCase()] = (param[2] ?? param[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: match[1]!.toLowerCase(), params };
}

/** Seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/;
const MAX_REDIRECTS = 5;

function basicHeader(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

async function errorText(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).slice(0, 2000);
  try {
    const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
    const first = errors[0];
    if (first) return `${first.code ?? ''}${first.message ? `: ${first.message}` : ''}`;
  } catch {
    // not the registry's JSON error body
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  /** Registries that answered with a Basic challenge: later requests send the credentials at once. */
  private readonly basicHosts = new Set<string>();
  /** Requests sent, 429 waits and bytes of bodies handed out: for `--stats` and the benchmark. */
  readonly counters = { requests: 0, retries: 0 };

  constructor(private readonly options: RegistryClientOptions) {}

  /** `docker.io` is served at registry-1.docker.io, and its one-word repositories live under `library/`. */
  static endpoint(reference: ImageReference): { host: string; repository: string } {
    if (reference.registry === 'docker.io' || reference.registry === 'index.docker.io') {
      return { host: 'registry-1.docker.io', repository: reference.repository.includes('/') ? reference.repository : `library/${reference.repository}` };
    }
    return { host: reference.registry, repository: reference.repository };
  }

  private scheme(host: string): string {
    return LOOPBACK.test(host) || this.options.plainHttpHosts?.includes(host) ? 'http' : 'https';
  }

  /** GET a path under /v2/<repository>/; the response is 2xx, anything else is thrown as an ImageError. */
  async get(reference: ImageReference, path: string, accept: string | null, what: string): Promise<Response> {
    const { host, repository } = RegistryClient.endpoint(reference);
    const url = `${this.scheme(host)}://${host}/v2/${repository}/${path}`;
    const scope = `repository:${repository}:pull`;
    const maxRetries = this.options.maxRetries ?? 3;
    let retries = 0;
    let authenticated = false;
    for (;;) {
      const response = await this.send(url, host, scope, accept, what);
      if (response.status === 401 && !authenticated) {
        authenticated = true;
        await this.authenticate(response, reference.registry, host, scope, what);
        continue;
      }
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? 1000 * 2 ** retries;
        await response.body?.cancel();
        const maxWait = this.options.maxRetryWaitMs ?? 60_000;
        if (retries >= maxRetries) throw new ImageError(`${what}: ${host} rate-limited the request (429) ${retries + 1} times; giving up`);
        if (wait > maxWait) throw new ImageError(`${what}: ${host} rate-limited the request (429) and asks to wait ${Math.ceil(wait / 1000)} s, more than the ${Math.round(maxWait / 1000)} s we wait`);
        retries++;
        this.counters.retries++;
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (response.status >= 200 && response.status < 300) return response;
      const detail = await errorText(response);
      if (response.status === 401 || response.status === 403) {
        throw new ImageError(`${what}: ${host} refused access (${response.status}${detail ? ` ${detail}` : ''}): ${this.credentialsHint(reference.registry)}`);
      }
      throw new ImageError(`${what}: ${host} answered ${response.status}${detail ? ` (${detail})` : ''}`);
    }
  }

  private async send(url: string, host: string, scope: string, accept: string | null, what: string): Promise<Response> {
    let current = url;
    for (let redirect = 0; redirect <= MAX_REDIRECTS; redirect++) {
      const sameOrigin = new URL(current).host === host;
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'kubeharden' };
      if (accept) headers.accept = accept;
      if (sameOrigin) {
        const token = this.tokens.get(`${host} ${scope}`);
        // Looked up only once the registry asked for credentials: a helper runs only for registries that need it.
        const credentials = !token && this.basicHosts.has(host) ? this.credentialsFor(host, what) : null;
        if (token) headers.authorization = `Bearer ${token}`;
        else if (credentials) headers.authorization = basicHeader(credentials);
      }
      this.counters.requests++;
      let response: Response;
      try {
        response = await fetch(current, { headers, redirect: 'manual' });
      } catch (error) {
        const cause = (error as { cause?: Error }).cause;
        throw new ImageError(`${what}: cannot reach ${new URL(current).host}: ${cause?.message ?? (error as Error).message}`);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).href;
        continue;
      }
      return response;
    }
    throw new ImageError(`${what}: more than ${MAX_REDIRECTS} redirects`);
  }

  /** The Docker config's credentials for a registry; a credential helper's failure fails the image, saying why. */
  private credentialsFor(registry: string, what: string): BasicCredentials | null {
    try {
      return this.options.credentials.lookup(registry);
    } catch (error) {
      if (error instanceof CredentialHelperError) throw new ImageError(`${what}: ${error.message}`);
      throw error;
    }
  }

  /** Why a registry refused: no credentials, the helper had none, or the ones sent were refused. */
  private credentialsHint(registry: string): string {
    const helper = this.options.credentials.helperFor(registry);
    let credentials: BasicCredentials | null;
    try {
      credentials = this.options.credentials.lookup(registry);
    } catch (error) {
      if (error instanceof CredentialHelperError) return error.message;
      throw error;
    }
    if (credentials) return helper ? `the credentials ${helper} gave were refused` : 'the credentials of the Docker config were refused';
    return helper ? `${helper} has no credentials for it` : 'no credentials for it in the Docker config (~/.docker/config.json "auths", "credsStore" or "credHelpers")';
  }

  private async authenticate(response: Response, registry: string, host: string, scope: string, what: string): Promise<void> {
    await response.body?.cancel();
    const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
    const credentials = this.credentialsFor(registry, what) ?? this.credentialsFor(host, what);
    if (challenge?.scheme === 'basic') {
      if (!credentials) return; // the retry fails with the hint about credentials
      this.basicHosts.add(host);
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw new ImageError(`${what}: ${host} asks for authentication this client does not speak (${response.headers.get('www-authenticate') ?? 'no WWW-Authenticate'})`);
    }
    const realm = new URL(challenge.params.realm);
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? scope);
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'kubeharden' };
    if (credentials) headers.authorization = basicHeader(credentials);
    this.counters.requests++;
    let tokenResponse: Response;
    try {
      tokenResponse = await fetch(realm, { headers });
    } catch (error) {
      throw new ImageError(`${what}: cannot reach the token service ${realm.host}: ${((error as { cause?: Error }).cause ?? (error as Error)).message}`);
    }
    if (!tokenResponse.ok) throw new ImageError(`${what}: the token service ${realm.host} answered ${tokenResponse.status} (${await errorText(tokenResponse)})`);
    const body = (await tokenResponse.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : null;
    if (!token) throw new ImageError(`${what}: the token service ${realm.host} gave no token`);
    this.tokens.set(`${host} ${scope}`, token);
  }

  /** A response body as a Node stream. */
  static bodyStream(response: Response): Readable {
    if (!response.body) return Readable.from([]);
    return Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  }
}
