/**
 * The credentials of a kubeconfig user, renewed when they expire. Exec plugins (EKS, GKE, AKS, kubelogin) run as
 * kubectl runs them: the command itself, no shell, the ExecCredential contract, again when the credential's
 * expirationTimestamp passes or the server answers 401. Legacy `auth-provider` commands (gcp, azure) do not run
 * unless the user allows it: kubectl no longer runs them, and a crafted kubeconfig could run anything that way.
 */
import { describeReadError, readInputFile } from '../loader/safe-read.js';
import type { ClusterEntry, ExecConfig, UserEntry } from './kubeconfig.js';
import { runCredentialCommand } from './run-credential-command.js';
import { ConnectionError } from './connection-error.js';

/** client-go re-reads a token file (a projected, rotating service-account token) at most this often. */
const TOKEN_FILE_CACHE_MS = 60_000;
const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

export interface AuthMaterial {
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Which credential this is, for renew(): requests refused together renew it once. */
  readonly secret?: Secret;
}

export interface CredentialOptions {
  /** `--allow-auth-provider-commands`: run a legacy auth-provider's cmd-path (without a shell). */
  readonly allowAuthProviderCommands: boolean;
  readonly now?: () => number;
}

export interface Secret {
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** Where the changing part of the credentials (a bearer token, an exec plugin's certificate) comes from. */
interface SecretSource {
  get(): Promise<Secret>;
  /** Forget `used` if it is still the cached one; true when asking again may give something new. */
  forget(used: Secret | undefined): boolean;
}

export class Credentials {
  private constructor(
    private readonly fixed: AuthMaterial,
    private readonly source: SecretSource | undefined,
  ) {}

  static forUser(user: UserEntry, userName: string | undefined, cluster: ClusterEntry, options: CredentialOptions): Credentials {
    const now = options.now ?? Date.now;
    const headers: Record<string, string | string[]> = {};
    if (user.username !== undefined && user.password !== undefined) headers['Authorization'] = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    if (user.impersonate) headers['Impersonate-User'] = user.impersonate;
    if (user.impersonateUid) headers['Impersonate-Uid'] = user.impersonateUid;
    // Several groups are several header lines (an array), as client-go sends them.
    if (user.impersonateGroups.length > 0) headers['Impersonate-Group'] = [...user.impersonateGroups];
    for (const [key, values] of Object.entries(user.impersonateExtra)) headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = [...values];
    const cert = readData(user.clientCertificate, user.clientCertificateData, 'client certificate');
    const key = readData(user.clientKey, user.clientKeyData, 'client key');
    const fixed: AuthMaterial = { headers, ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
    const who = `user "${userName ?? 'in-cluster'}"`;
    // As client-go: a token file wins over a token, a token over an exec plugin or auth-provider.
    let source: SecretSource | undefined;
    if (user.tokenFile) source = tokenFileSource(user.tokenFile, now);
    else if (user.token) source = fixedSource({ token: user.token });
    else if (user.exec) source = execSource(user.exec, cluster, who, now);
    else if (user.authProvider) source = authProviderSource(user.authProvider.name, user.authProvider.config, who, options, now);
    return new Credentials(fixed, source);
  }

  async material(): Promise<AuthMaterial> {
    if (!this.source) return this.fixed;
    const secret = await this.source.get();
    return {
      secret,
      headers: { ...this.fixed.headers, ...(secret.token ? { Authorization: `Bearer ${secret.token}` } : {}) },
      ...(secret.cert ?? this.fixed.cert ? { cert: (secret.cert ?? this.fixed.cert) as Buffer } : {}),
      ...(secret.key ?? this.fixed.key ? { key: (secret.key ?? this.fixed.key) as Buffer } : {}),
    };
  }

  /** After a 401 with `used`: drop it if still cached; true when the next request may carry new credentials. */
  renew(used: AuthMaterial): boolean {
    return this.source?.forget(used.secret) ?? false;
  }
}

/** A file a kubeconfig names (certificate, key, token), through the shared reader: regular files only, capped. */
export function readKubeconfigReference(file: string, what: string): Buffer {
  try {
    return readInputFile(file, 'config');
  } catch (error) {
    throw new ConnectionError(`cannot read the ${what} ${file}: ${describeReadError(error)}`);
  }
}

function readData(file: string | undefined, data: string | undefined, what: string): Buffer | undefined {
  if (file) return readKubeconfigReference(file, what);
  return data ? Buffer.from(data, 'base64') : undefined;
}

function fixedSource(secret: Secret): SecretSource {
  return { get: async () => secret, forget: () => false };
}

function tokenFileSource(file: string, now: () => number): SecretSource {
  return cachedSource(
    async () => {
      return { secret: { token: readKubeconfigReference(file, 'token file').toString('utf8').trim() }, expiresAt: now() + TOKEN_FILE_CACHE_MS };
    },
    now,
    true,
  );
}

/**
 * A source that asks `fetch` for a secret and its expiry, keeps it until it expires, and lets concurrent requests
 * share one renewal (one plugin run for eight requests in flight).
 */
function cachedSource(fetch: () => Promise<{ secret: Secret; expiresAt: number | undefined }>, now: () => number, renewable: boolean): SecretSource {
  let cached: { secret: Secret; expiresAt: number | undefined } | undefined;
  let pending: Promise<Secret> | undefined;
  return {
    get() {
      if (cached && (cached.expiresAt === undefined || now() < cached.expiresAt)) return Promise.resolve(cached.secret);
      pending ??= fetch()
        .then((fresh) => {
          cached = fresh;
          return fresh.secret;
        })
        .finally(() => (pending = undefined));
      return pending;
    },
    forget(used) {
      if (!renewable) return false;
      if (cached?.secret === used) cached = undefined;
      return true;
    },
  };
}

function execSource(exec: ExecConfig, cluster: ClusterEntry, who: string, now: () => number): SecretSource {
  const what = `the exec plugin ${JSON.stringify(exec.command)} of ${who}`;
  if (!EXEC_API_VERSIONS.includes(exec.apiVersion)) {
    throw new ConnectionError(`${what} has apiVersion ${JSON.stringify(exec.apiVersion)}; kubeharden, like kubectl, supports ${EXEC_API_VERSIONS.join(' and ')}`);
  }
  const mode = exec.interactiveMode ?? 'IfAvailable';
  if (!['Never', 'IfAvailable', 'Always'].includes(mode)) throw new ConnectionError(`${what} has interactiveMode ${JSON.stringify(mode)} (Never, IfAvailable or Always)`);
  return cachedSource(
    async () => {
      const interactive = mode !== 'Never' && process.stdin.isTTY === true;
      if (mode === 'Always' && !interactive) throw new ConnectionError(`${what} needs a terminal (interactiveMode: Always) and standard input is not one`);
      const info = {
        apiVersion: exec.apiVersion,
        kind: 'ExecCredential',
        spec: { interactive, ...(exec.provideClusterInfo ? { cluster: clusterInfo(cluster) } : {}) },
      };
      const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
      for (const { name, value } of exec.env) env[name] = value;
      const output = await runCredentialCommand({ what, command: exec.command, args: exec.args, env, interactive, ...(exec.installHint ? { installHint: exec.installHint } : {}) });
      return parseExecCredential(output, exec.apiVersion, what);
    },
    now,
    true,
  );
}

function clusterInfo(cluster: ClusterEntry): Record<string, unknown> {
  let caData = cluster.certificateAuthorityData;
  if (!caData && cluster.certificateAuthority) {
    try {
      caData = readKubeconfigReference(cluster.certificateAuthority, 'certificate authority').toString('base64');
    } catch {
      caData = undefined;
    }
  }
  return {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(caData ? { 'certificate-authority-data': caData } : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
  };
}

/** An ExecCredential as client-go checks it: the same apiVersion, a token or a certificate and key, an optional expiry. */
export function parseExecCredential(output: string, apiVersion: string, what: string): { secret: Secret; expiresAt: number | undefined } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    throw new ConnectionError(`${what} did not print an ExecCredential (not JSON)`);
  }
  const record = parsed as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
  if (record === null || typeof record !== 'object' || record.kind !== 'ExecCredential') throw new ConnectionError(`${what} did not print an ExecCredential`);
  if (record.apiVersion !== apiVersion) throw new ConnectionError(`${what} printed apiVersion ${JSON.stringify(record.apiVersion)}, not ${apiVersion}`);
  const status = record.status && typeof record.status === 'object' ? record.status : {};
  const token = typeof status['token'] === 'string' && status['token'] !== '' ? status['token'] : undefined;
  const cert = typeof status['clientCertificateData'] === 'string' && status['clientCertificateData'] !== '' ? Buffer.from(status['clientCertificateData']) : undefined;
  const key = typeof status['clientKeyData'] === 'string' && status['clientKeyData'] !== '' ? Buffer.from(status['clientKeyData']) : undefined;
  if (!token && !(cert && key)) throw new ConnectionError(`${what} printed an ExecCredential with neither a token nor a client certificate and key`);
  let expiresAt: number | undefined;
  if (typeof status['expirationTimestamp'] === 'string') {
    expiresAt = Date.parse(status['expirationTimestamp']);
    if (Number.isNaN(expiresAt)) throw new ConnectionError(`${what} printed an expirationTimestamp that is not a time: ${JSON.stringify(status['expirationTimestamp'])}`);
  }
  return { secret: { ...(token ? { token } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) }, expiresAt };
}

/**
 * Legacy auth-providers. `oidc` sends its id-token (kubeharden does not refresh it: log in again). `gcp` and
 * `azure` send a cached access-token while it is valid; renewing it means running `cmd-path`, which only happens
 * with --allow-auth-provider-commands, and then without a shell (cmd-args split on spaces, as client-go did).
 */
function authProviderSource(name: string, config: Readonly<Record<string, string>>, who: string, options: CredentialOptions, now: () => number): SecretSource {
  if (name === 'oidc') {
    const token = config['id-token'];
    if (!token) throw new ConnectionError(`${who} uses the oidc auth-provider without an id-token: log in again (for example with kubelogin)`);
    const expiresAt = jwtExpiry(token);
    if (expiresAt !== undefined && expiresAt <= now()) throw new ConnectionError(`${who}: the oidc id-token expired at ${new Date(expiresAt).toISOString()}; kubeharden does not refresh it: log in again`);
    return fixedSource({ token });
  }
  if (name !== 'gcp' && name !== 'azure') throw new ConnectionError(`${who} uses the auth-provider ${JSON.stringify(name)}, which kubeharden does not support: use an exec credential plugin`);
  const command = config['cmd-path'];
  const args = (config['cmd-args'] ?? '').split(/\s+/).filter((arg) => arg !== '');
  let cached: { secret: Secret; expiresAt: number | undefined } | undefined = cachedToken(config);
  return cachedSource(
    async () => {
      if (cached && (cached.expiresAt === undefined || now() < cached.expiresAt)) return cached;
      cached = undefined;
      if (!command) throw new ConnectionError(`${who}: the ${name} auth-provider's access-token is missing or expired and it names no cmd-path to renew it; use an exec credential plugin (${name === 'gcp' ? 'gke-gcloud-auth-plugin' : 'kubelogin'})`);
      if (!options.allowAuthProviderCommands) {
        throw new ConnectionError(
          `${who} uses the ${name} auth-provider, which would run the command ${JSON.stringify([command, ...args].join(' '))}. ` +
            'kubeharden does not run auth-provider commands (a kubeconfig could run anything that way, and kubectl no longer runs them): ' +
            `switch to an exec credential plugin (${name === 'gcp' ? 'gke-gcloud-auth-plugin' : 'kubelogin'}), or pass --allow-auth-provider-commands to run it (without a shell)`,
        );
      }
      const output = await runCredentialCommand({ what: `the ${name} auth-provider command ${JSON.stringify(command)} of ${who}`, command, args, env: process.env, interactive: false });
      return providerOutput(output, config, `the ${name} auth-provider command of ${who}`);
    },
    now,
    command !== undefined && options.allowAuthProviderCommands,
  );
}

function cachedToken(config: Readonly<Record<string, string>>): { secret: Secret; expiresAt: number | undefined } | undefined {
  const token = config['access-token'];
  if (!token) return undefined;
  const expiry = config['expiry'] ? Date.parse(config['expiry']) : config['expires-on'] ? Number(config['expires-on']) * 1000 : undefined;
  return { secret: { token }, expiresAt: expiry !== undefined && Number.isNaN(expiry) ? 0 : expiry };
}

function providerOutput(output: string, config: Readonly<Record<string, string>>, what: string): { secret: Secret; expiresAt: number | undefined } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    throw new ConnectionError(`${what} did not print JSON`);
  }
  const token = jsonPathValue(parsed, config['token-key'] ?? '{.access_token}');
  if (typeof token !== 'string' || token === '') throw new ConnectionError(`${what} printed no token at ${config['token-key'] ?? '{.access_token}'}`);
  const expiry = jsonPathValue(parsed, config['expiry-key'] ?? '{.token_expiry}');
  const expiresAt = typeof expiry === 'string' ? Date.parse(expiry) : undefined;
  return { secret: { token }, expiresAt: expiresAt !== undefined && !Number.isNaN(expiresAt) ? expiresAt : undefined };
}

/** `{.credential.access_token}`: the dotted JSONPath subset auth-provider configs use. */
function jsonPathValue(value: unknown, path: string): unknown {
  const match = /^\{\.([\w.-]+)\}$/.exec(path.trim());
  if (!match?.[1]) throw new ConnectionError(`unsupported token or expiry key ${JSON.stringify(path)} (only {.a.b} paths)`);
  let current = value;
  for (const part of match[1].split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
