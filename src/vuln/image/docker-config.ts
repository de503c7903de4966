/**
 * Registry credentials from the Docker CLI's config file (`$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`): `auths` entries, and the credential helpers Docker runs for a registry — its
 * `credHelpers` entry, else `credsStore` — spoken to as docker-credential-helpers does: `docker-credential-<name>
 * get` with the server address on standard input, `{"ServerURL","Username","Secret"}` on standard output, and
 * "credentials not found" (exit 1) when it has none. A helper runs once per registry; what it answers (or why it
 * failed, never the secret) is kept for the rest of the scan.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export interface CredentialStore {
  /** The credentials for a registry, or null; throws CredentialHelperError when its helper is missing or fails. */
  lookup(registry: string): BasicCredentials | null;
  /** The helper program the config names for a registry (`docker-credential-pass`), if any. */
  helperFor(registry: string): string | null;
}

/** A credential helper that is missing, fails or answers nonsense: the message names it and never holds a secret. */
export class CredentialHelperError extends Error {}

/** How long a helper may take (a keychain may ask the user; a hung one must not hang the scan). */
export const HELPER_TIMEOUT_MS = 30_000;

/** The server address Docker gives a helper: Docker Hub's legacy URL, else the registry's host[:port]. */
function helperServerAddress(key: string): string {
  return key === 'docker.io' ? 'https://index.docker.io/v1/' : key;
}

/** One printable line of a helper's complaint, short; a helper writes its errors, not secrets, but we cap it. */
function complaint(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
  return line === '' ? 'no message' : line;
}

/** Runs `<program> get` for a registry: its credentials, null when it has none, or a CredentialHelperError. */
export function runCredentialHelper(program: string, key: string): BasicCredentials | null {
  // A name is looked up on the PATH, never taken as a path: a config cannot point at another program.
  if (!/^docker-credential-[A-Za-z0-9][A-Za-z0-9._-]*$/.test(program)) throw new CredentialHelperError(`the Docker config names the credential helper ${JSON.stringify(program)} for ${key}, which is not a helper name`);
  const result = spawnSync(program, ['get'], { input: helperServerAddress(key), encoding: 'utf8', timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024 });
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') throw new CredentialHelperError(`the Docker config names the credential helper ${program} for ${key}, but it is not on the PATH`);
  if (code === 'ETIMEDOUT') throw new CredentialHelperError(`${program} get for ${key} did not answer within ${HELPER_TIMEOUT_MS / 1000} s`);
  // EPIPE: it answered without reading the address; its answer still counts.
  if (result.error && !(code === 'EPIPE' && result.status !== null)) throw new CredentialHelperError(`cannot run ${program} for ${key}: ${result.error.message}`);
  if (result.status !== 0) {
    const said = `${result.stdout ?? ''} ${result.stderr ?? ''}`;
    // The protocol's own "not found" (docker-credential-helpers' ErrCredentialsNotFound): no credentials, not an error.
    if (/credentials not found/i.test(said)) return null;
    throw new CredentialHelperError(`${program} get for ${key} failed (${result.status === null ? `signal ${result.signal}` : `exit ${result.status}`}): ${complaint(said)}`);
  }
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(result.stdout) as { Username?: unknown; Secret?: unknown };
  } catch {
    // Not echoed: it may hold the secret.
    throw new CredentialHelperError(`${program} get for ${key} answered something that is not the helper protocol's JSON`);
  }
  if (typeof answer.Username !== 'string' || typeof answer.Secret !== 'string') throw new CredentialHelperError(`${program} get for ${key} answered without a Username and Secret`);
  if (answer.Username === '<token>') throw new CredentialHelperError(`${program} holds an identity token for ${key} (Username "<token>"); kubeharden sends only a user name and password`);
  return answer.Username === '' && answer.Secret === '' ? null : { username: answer.Username, password: answer.Secret };
}

const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `https://index.docker.io/v1/` → `docker.io`; `localhost:5000` stays. */
export function registryKey(name: string): string {
  const host = name.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
  return DOCKER_HUB_NAMES.has(host) ? 'docker.io' : host;
}

export function defaultDockerConfigPath(): string {
  return join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

export const NO_CREDENTIALS: CredentialStore = { lookup: () => null, helperFor: () => null };

export function parseDockerConfig(text: string, path: string): CredentialStore {
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
  const credentials = new Map<string, BasicCredentials>();
  const auths = typeof document.auths === 'object' && document.auths !== null ? (document.auths as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(auths)) {
    if (typeof value !== 'object' || value === null) continue;
    const entry = value as Record<string, unknown>;
    let username = typeof entry.username === 'string' ? entry.username : '';
    let password = typeof entry.password === 'string' ? entry.password : '';
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon !== -1) {
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
    }
    if (username !== '') credentials.set(registryKey(name), { username, password });
  }
  const helpers = typeof document.credHelpers === 'object' && document.credHelpers !== null ? (document.credHelpers as Record<string, unknown>) : {};
  const store = typeof document.credsStore === 'string' ? document.credsStore : null;
  const helperFor = (registry: string): string | null => {
    const key = registryKey(registry);
    const helper = Object.entries(helpers).find(([name]) => registryKey(name) === key)?.[1];
    if (typeof helper === 'string' && helper !== '') return `docker-credential-${helper}`;
    return store ? `docker-credential-${store}` : null;
  };
  const answered = new Map<string, BasicCredentials | null | CredentialHelperError>();
  return {
    helperFor,
    lookup(registry) {
      const key = registryKey(registry);
      const program = helperFor(key);
      // As Docker: a registry with a helper gets its credentials from the helper, whatever `auths` says.
      if (!program) return credentials.get(key) ?? null;
      if (!answered.has(key)) {
        try {
          answered.set(key, runCredentialHelper(program, key));
        } catch (error) {
          if (!(error instanceof CredentialHelperError)) throw error;
          answered.set(key, error);
        }
      }
      const answer = answered.get(key)!;
      if (answer instanceof CredentialHelperError) throw answer;
      return answer;
    },
  };
}

/** The credentials of a Docker config file; none when it does not exist. */
export function loadDockerConfig(path: string = defaultDockerConfigPath()): CredentialStore {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NO_CREDENTIALS;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseDockerConfig(text, path);
}
