/**
 * Registry credentials from the Docker CLI's config file (`$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`): the `auths` entries only. Credential helpers (`credsStore`, `credHelpers`) are
 * programs we do not run; a registry that needs one is reported as needing credentials, naming the helper.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export interface CredentialStore {
  lookup(registry: string): BasicCredentials | null;
  /** Why there are none for a registry, when the config names a helper for it. */
  helperFor(registry: string): string | null;
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
  return {
    lookup: (registry) => credentials.get(registryKey(registry)) ?? null,
    helperFor(registry) {
      const key = registryKey(registry);
      const helper = Object.entries(helpers).find(([name]) => registryKey(name) === key)?.[1];
      if (typeof helper === 'string') return `docker-credential-${helper}`;
      return store ? `docker-credential-${store}` : null;
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
