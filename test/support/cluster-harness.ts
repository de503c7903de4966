/**
 * A real kube-apiserver and etcd for tests, built from the upstream Go modules by scripts/build-cluster.mjs (test/cluster/).
 * Each cluster gets its own CA and certificates (openssl), loopback ports, a static token file with a few users,
 * and RBAC + Node authorization. There is no controller-manager: createNamespace adds the `default`
 * ServiceAccount itself, since pods cannot be created without it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { clusterBinDir } from './cluster-binaries.js';
import { makeClusterPki, type ClusterPki } from './cluster-pki.js';
import { startProcess, type ManagedProcess } from './cluster-process.js';
import { tempDir } from './temp-dir.js';

export type ClusterProfile = 'insecure' | 'hardened';

export interface StaticUser {
  readonly groups?: readonly string[];
}

export interface ClusterOptions {
  /**
   * `insecure`: anonymous authentication on, profiling on, no audit log, no encryption at rest.
   * `hardened`: anonymous off, audit log with retention, secrets encrypted with aesgcm, NodeRestriction and
   * PodSecurity admission, TLS 1.2 minimum, profiling off.
   */
  readonly profile: ClusterProfile;
  /** Audit policy YAML for the hardened profile (default: every request at Metadata). The insecure one audits nothing. */
  readonly auditPolicy?: string;
  /** More static token users beside admin, reader and nobody (name → groups). */
  readonly users?: Readonly<Record<string, StaticUser>>;
  /** Flags appended after the profile's (a repeated flag's last value wins): an audit webhook backend, say. */
  readonly extraApiserverArgs?: readonly string[];
  /** Another kube-apiserver to run on the harness' etcd (an older release built from test/go-tools/). */
  readonly apiserverBinary?: string;
}

export interface ApiServerVersion {
  readonly gitVersion: string;
  readonly major: string;
  readonly minor: string;
  readonly [field: string]: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

export interface Cluster {
  readonly url: string;
  /** etcd's client URL (plain HTTP on loopback), to look at what the API server stored. */
  readonly etcdUrl: string;
  readonly caFile: string;
  readonly caPem: string;
  /** Bearer tokens of the static users: admin (system:masters), reader and nobody (no rights), and options.users. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The admin client certificate and key (CN=admin, O=system:masters). */
  readonly adminClientCert: { readonly certFile: string; readonly keyFile: string };
  readonly adminKubeconfig: string;
  /** Where the hardened profile writes its audit log (the insecure profile writes none). */
  readonly auditLogPath: string;
  /** The flags kube-apiserver runs with (after the binary), to rebuild its static pod manifest. */
  readonly apiserverArgs: readonly string[];
  readonly etcdArgs: readonly string[];
  /** What GET /version answered once the server was ready. */
  readonly version: ApiServerVersion;
  readonly pids: { readonly apiserver: number; readonly etcd: number };
  /** From spawning etcd to kube-apiserver's /readyz answering 200. */
  readonly startupMs: number;
  /** A kubeconfig file (token auth, CA data) for a static user, or for any name with the token given (a ServiceAccount's). */
  kubeconfig(user: string, token?: string): string;
  /** A request as USER (a static user's name, or else taken as a bearer token), or anonymous for null. */
  request(user: string | null, method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** Creates a namespace (if missing) and its `default` ServiceAccount. */
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  /** SIGTERM to kube-apiserver then etcd (SIGKILL after 10 s), then removes the temporary folder. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const LOG_LINES = 40;
const BUILT_IN_USERS: Readonly<Record<string, StaticUser>> = { admin: { groups: ['system:masters'] }, reader: {}, nobody: {} };
const METADATA_POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n';

/** Starts etcd and kube-apiserver; `{ skip }` when the binaries are not built and this is not CI. */
export async function startCluster(options: ClusterOptions): Promise<Cluster | { skip: string }> {
  const bin = clusterBinDir();
  if (typeof bin !== 'string') {
    if (process.env['CI']) throw new Error(bin.missing);
    return { skip: bin.missing };
  }
  const dir = tempDir('cluster');
  let files: ClusterFiles;
  try {
    files = writeClusterFiles(dir, options);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const [etcdClientPort, etcdPeerPort, securePort] = await freePorts(3);
  const etcdArgs = [
    '--name=kh',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClientPort}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClientPort}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
    `--initial-cluster=kh=http://127.0.0.1:${etcdPeerPort}`,
    '--listen-metrics-urls=',
    '--log-level=warn',
  ];
  const apiserverArgs = [
    `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    // No kubernetes Service endpoints to keep up: nothing in the tests routes through the service IP.
    '--endpoint-reconciler-type=none',
    `--secure-port=${securePort}`,
    `--cert-dir=${join(dir, 'cert-dir')}`,
    `--tls-cert-file=${files.pki.serverCert}`,
    `--tls-private-key-file=${files.pki.serverKey}`,
    `--client-ca-file=${files.pki.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${files.pki.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${files.pki.serviceAccountKey}`,
    `--token-auth-file=${files.tokenFile}`,
    '--authorization-mode=Node,RBAC',
    // As kubeadm runs it: privileged pods are allowed by the API server, and left to Pod Security admission.
    '--allow-privileged=true',
    '--service-cluster-ip-range=10.96.0.0/16',
    ...(options.profile === 'hardened' ? hardenedArgs(files) : ['--anonymous-auth=true', '--profiling=true']),
    ...(options.extraApiserverArgs ?? []),
  ];

  const started = Date.now();
  const etcd = startProcess('etcd', join(bin, 'etcd'), etcdArgs, join(dir, 'etcd.log'));
  const apiserver = startProcess('kube-apiserver', options.apiserverBinary ?? join(bin, 'kube-apiserver'), apiserverArgs, join(dir, 'apiserver.log'));
  const url = `https://127.0.0.1:${securePort}`;
  const caPem = readFileSync(files.pki.caCert, 'utf8');
  const request = (user: string | null, method: string, path: string, body?: unknown) =>
    send(url, caPem, user === null ? undefined : files.tokens[user] ?? user, method, path, body);
  let version: ApiServerVersion;
  try {
    await waitReady(() => request('admin', 'GET', '/readyz'), apiserver, etcd);
    version = (await request('admin', 'GET', '/version')).json as ApiServerVersion;
  } catch (error) {
    // The folder stays: its logs are named in the error.
    await apiserver.stop();
    await etcd.stop();
    throw error;
  }
  const startupMs = Date.now() - started;

  const kubeconfig = (user: string, token?: string): string => {
    const path = join(dir, `kubeconfig-${user}.yaml`);
    writeFileSync(path, kubeconfigYaml(url, caPem, user, token ?? files.tokens[user] ?? user), { mode: 0o600 });
    return path;
  };
  return {
    url,
    etcdUrl: `http://127.0.0.1:${etcdClientPort}`,
    caFile: files.pki.caCert,
    caPem,
    tokens: files.tokens,
    adminClientCert: { certFile: files.pki.adminCert, keyFile: files.pki.adminKey },
    adminKubeconfig: kubeconfig('admin'),
    auditLogPath: files.auditLog,
    apiserverArgs,
    etcdArgs,
    version,
    pids: { apiserver: apiserver.pid, etcd: etcd.pid },
    startupMs,
    kubeconfig,
    request,
    async createNamespace(name, labels) {
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
      await createOrKeep(request, '/api/v1/namespaces', namespace, `namespace ${name}`);
      const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } };
      await createOrKeep(request, `/api/v1/namespaces/${name}/serviceaccounts`, account, `${name}/default ServiceAccount`);
    },
    async stop() {
      await apiserver.stop();
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface ClusterFiles {
  readonly dir: string;
  readonly pki: ClusterPki;
  readonly tokens: Readonly<Record<string, string>>;
  readonly tokenFile: string;
  readonly auditPolicy: string;
  readonly auditLog: string;
}

function writeClusterFiles(dir: string, options: ClusterOptions): ClusterFiles {
  const pki = makeClusterPki(dir);
  const users = { ...BUILT_IN_USERS, ...options.users };
  const tokens: Record<string, string> = {};
  const lines: string[] = [];
  for (const [name, user] of Object.entries(users)) {
    // The file is CSV: a comma or quote in a name would shift its columns.
    if (!/^[\w:.@-]+$/.test(name) || (user.groups ?? []).some((group) => !/^[\w:.@-]+$/.test(group))) {
      throw new Error(`static user ${JSON.stringify(name)}: names and groups may only hold letters, digits and : . @ _ -`);
    }
    tokens[name] = randomBytes(24).toString('hex');
    const groups = user.groups?.length ? `,"${user.groups.join(',')}"` : '';
    lines.push(`${tokens[name]},${name},uid-${name}${groups}`);
  }
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  const auditPolicy = join(dir, 'audit-policy.yaml');
  writeFileSync(auditPolicy, options.auditPolicy ?? METADATA_POLICY);
  return { dir, pki, tokens, tokenFile, auditPolicy, auditLog: join(dir, 'audit.log') };
}

function hardenedArgs(files: ClusterFiles): string[] {
  const encryption = join(files.dir, 'encryption.yaml');
  const key = { name: 'key1', secret: randomBytes(32).toString('base64') };
  const config = {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [key] } }, { identity: {} }] }],
  };
  writeFileSync(encryption, yaml.dump(config), { mode: 0o600 });
  return [
    '--anonymous-auth=false',
    '--profiling=false',
    `--audit-policy-file=${files.auditPolicy}`,
    `--audit-log-path=${files.auditLog}`,
    '--audit-log-maxage=30',
    '--audit-log-maxbackup=10',
    '--audit-log-maxsize=100',
    `--encryption-provider-config=${encryption}`,
    '--enable-admission-plugins=NodeRestriction,PodSecurity',
    '--tls-min-version=VersionTLS12',
  ];
}

/** Ports the kernel just handed out on loopback; released again right away for etcd and the API server to take. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function waitReady(check: () => Promise<ApiResponse>, apiserver: ManagedProcess, etcd: ManagedProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    for (const child of [etcd, apiserver]) {
      const ended = child.ended();
      if (ended !== null) {
        throw new Error(`${child.name} ended (${ended}) before kube-apiserver was ready; last lines of ${child.logFile}:\n${child.tail(LOG_LINES)}`);
      }
    }
    try {
      const answer = await check();
      if (answer.status === 200) return;
      last = `/readyz answered HTTP ${answer.status}: ${answer.text.trim().split('\n').filter((line) => line.includes('failed')).join('; ') || answer.text.trim()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `kube-apiserver was not ready after ${READY_TIMEOUT_MS / 1000} s (${last}); last lines of ${apiserver.logFile}:\n${apiserver.tail(LOG_LINES)}\n` +
      `last lines of ${etcd.logFile}:\n${etcd.tail(10)}`,
  );
}

async function createOrKeep(request: Cluster['request'], path: string, body: unknown, what: string): Promise<void> {
  const created = await request('admin', 'POST', path, body);
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating ${what}: HTTP ${created.status} ${created.text}`);
}

function send(url: string, ca: string, bearer: string | undefined, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = https.request(
      new URL(path, url),
      {
        method,
        ca,
        headers: {
          Accept: 'application/json',
          ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
          // PATCH bodies are JSON merge patches, the simplest kind the API server accepts.
          ...(payload ? { 'Content-Type': method === 'PATCH' ? (Array.isArray(body) ? 'application/json-patch+json' : 'application/merge-patch+json') : 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined; // /readyz and /healthz answer plain text
          }
          resolve({ status: response.statusCode ?? 0, json, text });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out after 30 s`)));
    if (payload) request.write(payload);
    request.end();
  });
}

function kubeconfigYaml(url: string, caPem: string, user: string, bearer: string): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: user, user: { token: bearer } }],
    contexts: [{ name: user, context: { cluster: 'test', user } }],
    'current-context': user,
  });
}
