/**
 * Kubeconfig files read as kubectl (client-go's clientcmd) reads them: `--kubeconfig`, else the files of
 * $KUBECONFIG merged (the first file to set a name or current-context wins; missing files are skipped), else
 * ~/.kube/config, else the in-cluster service account. Relative paths are relative to the file that names them.
 * Nothing here runs a command or opens a connection: credentials.ts decides what may run.
 */
import { existsSync } from 'node:fs';
import { describeReadError, readInputFile } from '../loader/safe-read.js';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import yaml from 'js-yaml';
import { isRecord } from '../util/object.js';

const IN_CLUSTER_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export class KubeconfigError extends Error {}

export interface ClusterEntry {
  readonly server: string;
  readonly certificateAuthority?: string;
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
}

export interface ExecConfig {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly installHint?: string;
  readonly provideClusterInfo: boolean;
  readonly interactiveMode?: string;
}

export interface AuthProviderConfig {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

export interface UserEntry {
  readonly token?: string;
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
  readonly clientCertificate?: string;
  readonly clientCertificateData?: string;
  readonly clientKey?: string;
  readonly clientKeyData?: string;
  readonly exec?: ExecConfig;
  readonly authProvider?: AuthProviderConfig;
  readonly impersonate?: string;
  readonly impersonateUid?: string;
  readonly impersonateGroups: readonly string[];
  readonly impersonateExtra: Readonly<Record<string, readonly string[]>>;
}

/** The context a scan uses: where the server is and who the user is. */
export interface ResolvedKubeconfig {
  readonly contextName: string | undefined;
  readonly userName: string | undefined;
  readonly cluster: ClusterEntry;
  readonly user: UserEntry;
}

export interface KubeconfigSearch {
  /** `--kubeconfig`: only this file, which must exist. */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  /** Where the in-cluster token and CA live (tests point it elsewhere). */
  readonly inClusterDir?: string;
}

interface Merged {
  currentContext: string | undefined;
  readonly clusters: Map<string, ClusterEntry>;
  readonly users: Map<string, UserEntry>;
  readonly contexts: Map<string, { cluster: string; user: string }>;
}

export function resolveKubeconfig(search: KubeconfigSearch = {}): ResolvedKubeconfig {
  const env = search.env ?? process.env;
  const looked: string[] = [];
  let files: string[];
  if (search.kubeconfig !== undefined) {
    files = [search.kubeconfig];
  } else if (env['KUBECONFIG']) {
    const listed = [...new Set(env['KUBECONFIG'].split(delimiter).filter((file) => file !== ''))];
    files = listed.filter((file) => existsSync(file));
    looked.push(`$KUBECONFIG (${listed.map((file) => `${file}${files.includes(file) ? '' : ': not found'}`).join(', ')})`);
  } else {
    const home = search.home ?? env['HOME'] ?? homedir();
    const file = join(home, '.kube', 'config');
    files = existsSync(file) ? [file] : [];
    looked.push(`${file} (not found; $KUBECONFIG is not set)`);
  }

  if (files.length === 0) {
    const inCluster = inClusterConfig(env, search.inClusterDir ?? IN_CLUSTER_DIR);
    if ('resolved' in inCluster && search.context === undefined) return inCluster.resolved;
    looked.push(`the in-cluster service account (${'missing' in inCluster ? inCluster.missing : 'not used with --context'})`);
    throw new KubeconfigError(`no kubeconfig found: looked at ${looked.join(', ')}. Give --kubeconfig FILE, set KUBECONFIG, or run in a pod with a service account`);
  }

  const merged: Merged = { currentContext: undefined, clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) mergeFile(merged, file);
  return selectContext(merged, search.context, files);
}

function selectContext(merged: Merged, wanted: string | undefined, files: readonly string[]): ResolvedKubeconfig {
  const names = [...merged.contexts.keys()];
  const known = names.length > 0 ? `contexts: ${names.join(', ')}` : 'it defines no context';
  const where = files.join(', ');
  const contextName = wanted ?? merged.currentContext;
  if (contextName === undefined) throw new KubeconfigError(`the kubeconfig (${where}) sets no current-context: give --context (${known})`);
  const context = merged.contexts.get(contextName);
  if (!context) {
    throw new KubeconfigError(
      wanted !== undefined ? `no context "${wanted}" in the kubeconfig (${where}; ${known})` : `the kubeconfig's current-context "${contextName}" is not among its contexts (${where}; ${known}): give --context`,
    );
  }
  const cluster = merged.clusters.get(context.cluster);
  if (!cluster) throw new KubeconfigError(`context "${contextName}" names cluster "${context.cluster}", which the kubeconfig (${where}) does not define`);
  if (cluster.server === '') throw new KubeconfigError(`cluster "${context.cluster}" in the kubeconfig (${where}) has no server`);
  let user: UserEntry = NO_USER;
  if (context.user !== '') {
    const found = merged.users.get(context.user);
    if (!found) throw new KubeconfigError(`context "${contextName}" names user "${context.user}", which the kubeconfig (${where}) does not define`);
    user = found;
  }
  return { contextName, userName: context.user || undefined, cluster, user };
}

const NO_USER: UserEntry = { impersonateGroups: [], impersonateExtra: {} };

function readKubeconfigFile(file: string): unknown {
  let text: string;
  try {
    // The shared reader: regular files only, at most the configuration cap (a kubeconfig at /dev/zero never ends).
    text = readInputFile(file, 'config').toString('utf8');
  } catch (error) {
    throw new KubeconfigError(`cannot load the kubeconfig ${file}: ${describeReadError(error)}`);
  }
  try {
    // JSON_SCHEMA: a kubeconfig holds strings, booleans and lists; no custom tags, no merge keys.
    return yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: file });
  } catch (error) {
    throw new KubeconfigError(`cannot parse the kubeconfig ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function mergeFile(merged: Merged, file: string): void {
  const document = readKubeconfigFile(file);
  if (document === null || document === undefined) return;
  if (!isRecord(document)) throw new KubeconfigError(`the kubeconfig ${file} is not a mapping`);
  const base = dirname(resolve(file));
  const current = optionalString(document['current-context']);
  if (merged.currentContext === undefined && current) merged.currentContext = current;
  for (const { name, value } of namedEntries(document, 'clusters', 'cluster', file)) {
    if (!merged.clusters.has(name)) merged.clusters.set(name, clusterEntry(value, base));
  }
  for (const { name, value } of namedEntries(document, 'users', 'user', file)) {
    if (!merged.users.has(name)) merged.users.set(name, userEntry(value, base, `user "${name}" in ${file}`));
  }
  for (const { name, value } of namedEntries(document, 'contexts', 'context', file)) {
    if (!merged.contexts.has(name)) merged.contexts.set(name, { cluster: optionalString(value['cluster']) ?? '', user: optionalString(value['user']) ?? '' });
  }
}

function namedEntries(document: Record<string, unknown>, list: string, field: string, file: string): { name: string; value: Record<string, unknown> }[] {
  const entries = document[list];
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new KubeconfigError(`${list} in the kubeconfig ${file} is not a list`);
  return entries.flatMap((entry) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string') return [];
    return [{ name: entry['name'], value: isRecord(entry[field]) ? entry[field] : {} }];
  });
}

function clusterEntry(value: Record<string, unknown>, base: string): ClusterEntry {
  const ca = optionalString(value['certificate-authority']);
  return {
    server: optionalString(value['server']) ?? '',
    ...(ca ? { certificateAuthority: absolute(ca, base) } : {}),
    ...optional('certificateAuthorityData', value['certificate-authority-data']),
    insecureSkipTlsVerify: value['insecure-skip-tls-verify'] === true,
    ...optional('tlsServerName', value['tls-server-name']),
    ...optional('proxyUrl', value['proxy-url']),
  };
}

function userEntry(value: Record<string, unknown>, base: string, what: string): UserEntry {
  const path = (field: string) => {
    const text = optionalString(value[field]);
    return text ? absolute(text, base) : undefined;
  };
  const exec = isRecord(value['exec']) ? execConfig(value['exec'], base, what) : undefined;
  const provider = isRecord(value['auth-provider']) ? authProvider(value['auth-provider'], what) : undefined;
  const extra: Record<string, string[]> = {};
  if (isRecord(value['as-user-extra'])) {
    for (const [key, values] of Object.entries(value['as-user-extra'])) extra[key] = stringList(values);
  }
  const certificate = path('client-certificate');
  const key = path('client-key');
  const tokenFile = path('tokenFile');
  return {
    ...optional('token', value['token']),
    ...(tokenFile ? { tokenFile } : {}),
    ...optional('username', value['username']),
    ...optional('password', value['password']),
    ...(certificate ? { clientCertificate: certificate } : {}),
    ...optional('clientCertificateData', value['client-certificate-data']),
    ...(key ? { clientKey: key } : {}),
    ...optional('clientKeyData', value['client-key-data']),
    ...(exec ? { exec } : {}),
    ...(provider ? { authProvider: provider } : {}),
    ...optional('impersonate', value['as']),
    ...optional('impersonateUid', value['as-uid']),
    impersonateGroups: stringList(value['as-groups']),
    impersonateExtra: extra,
  };
}

function execConfig(value: Record<string, unknown>, base: string, what: string): ExecConfig {
  const command = optionalString(value['command']);
  if (!command) throw new KubeconfigError(`${what}: exec has no command`);
  const env = Array.isArray(value['env'])
    ? value['env'].flatMap((entry) => (isRecord(entry) && typeof entry['name'] === 'string' && typeof entry['value'] === 'string' ? [{ name: entry['name'], value: entry['value'] }] : []))
    : [];
  return {
    apiVersion: optionalString(value['apiVersion']) ?? '',
    // As client-go: a command with a path separator is relative to the kubeconfig; a bare name is looked up in PATH.
    command: command.includes(sep) || command.includes('/') ? absolute(command, base) : command,
    args: stringList(value['args']),
    env,
    ...optional('installHint', value['installHint']),
    provideClusterInfo: value['provideClusterInfo'] === true,
    ...optional('interactiveMode', value['interactiveMode']),
  };
}

function authProvider(value: Record<string, unknown>, what: string): AuthProviderConfig {
  const name = optionalString(value['name']);
  if (!name) throw new KubeconfigError(`${what}: auth-provider has no name`);
  const config: Record<string, string> = {};
  if (isRecord(value['config'])) {
    for (const [key, entry] of Object.entries(value['config'])) if (typeof entry === 'string') config[key] = entry;
  }
  return { name, config };
}

/** Pod service account credentials, as client-go's rest.InClusterConfig finds them. */
function inClusterConfig(env: NodeJS.ProcessEnv, dir: string): { resolved: ResolvedKubeconfig } | { missing: string } {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) return { missing: 'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set' };
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) return { missing: `${tokenFile} does not exist` };
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    resolved: {
      contextName: undefined,
      userName: undefined,
      cluster: { server, certificateAuthority: join(dir, 'ca.crt'), insecureSkipTlsVerify: false },
      user: { tokenFile, impersonateGroups: [], impersonateExtra: {} },
    },
  };
}

function absolute(path: string, base: string): string {
  return isAbsolute(path) ? path : join(base, path);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optional<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  const text = optionalString(value);
  return (text === undefined ? {} : { [key]: text }) as { [P in K]?: string };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
