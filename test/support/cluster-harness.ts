/**
 * A real kube-apiserver and etcd for tests, built from the upstream Go modules by scripts/build-cluster.mjs (test/cluster/).
 * Each cluster gets its own CA and certificates (openssl), loopback ports, a static token file with a few users,
 * an audit policy and log, and RBAC + Node authorization. There is no controller-manager: createNamespace adds the
 * `default` ServiceAccount itself, since pods cannot be created without it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { clusterBinDir } from './cluster-binaries.js';

export type ClusterProfile = 'insecure' | 'hardened';

export interface ClusterOptions {
  /**
   * `insecure`: anonymous authentication on, profiling on, no audit log, no encryption at rest.
   * `hardened`: anonymous off, audit log with retention, secrets encrypted with aesgcm, NodeRestriction and
   * PodSecurity admission, TLS 1.2 minimum, profiling off.
   */
  readonly profile: ClusterProfile;
  /** Audit policy YAML for the hardened profile (default: every request at Metadata). The insecure one audits nothing. */
  readonly auditPolicy?: string;
}

export interface Cluster {
  readonly url: string;
  readonly caFile: string;
  readonly caPem: string;
  /** Bearer tokens of the static users: admin (system:masters), reader (no rights), nobody (no rights). */
  readonly tokens: Readonly<Record<string, string>>;
  readonly adminKubeconfig: string;
  readonly auditLogPath: string;
  /** The flags kube-apiserver runs with (after the binary), to rebuild its static pod manifest. */
  readonly apiserverArgs: readonly string[];
  readonly etcdArgs: readonly string[];
  /** A kubeconfig file for one of the static users. */
  kubeconfig(user: string): string;
  request(user: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }>;
  /** Creates a namespace (if missing) and its `default` ServiceAccount. */
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts etcd and kube-apiserver; `{ skip }` when the binaries are not built and this is not CI. */
export async function startCluster(options: ClusterOptions): Promise<Cluster | { skip: string }> {
  const bin = clusterBinDir();
  if (typeof bin !== 'string') {
    if (process.env['CI']) throw new Error(bin.missing);
    return { skip: bin.missing };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-cluster-'));
  const pki = certificates(dir);
  const tokens = { admin: token(), reader: token(), nobody: token() };
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${tokens.admin},admin,uid-admin,"system:masters"\n${tokens.reader},reader,uid-reader\n${tokens.nobody},nobody,uid-nobody\n`, { mode: 0o600 });
  const auditPolicyFile = join(dir, 'audit-policy.yaml');
  writeFileSync(auditPolicyFile, options.auditPolicy ?? 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n');
  const auditLogPath = join(dir, 'audit.log');

  const [etcdClient, etcdPeer, securePort] = await freePorts(3);
  const etcdArgs = [
    '--name=kh',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=kh=http://127.0.0.1:${etcdPeer}`,
    '--listen-metrics-urls=',
    '--log-level=error',
  ];
  const etcd = startProcess(join(bin, 'etcd'), etcdArgs, join(dir, 'etcd.log'));
  const apiserverArgs = [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    '--endpoint-reconciler-type=none',
    `--secure-port=${securePort}`,
    `--cert-dir=${join(dir, 'cert-dir')}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.ca}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=Node,RBAC',
    // As kubeadm runs it: privileged pods are allowed by the API server, and left to Pod Security admission.
    '--allow-privileged=true',
    '--service-cluster-ip-range=10.96.0.0/16',
    ...(options.profile === 'hardened'
      ? [`--audit-policy-file=${auditPolicyFile}`, `--audit-log-path=${auditLogPath}`, ...hardenedArgs(dir)]
      : ['--anonymous-auth=true', '--profiling=true']),
  ];
  const apiserver = startProcess(join(bin, 'kube-apiserver'), apiserverArgs, join(dir, 'apiserver.log'));
  const url = `https://127.0.0.1:${securePort}`;
  const caPem = readFileSync(pki.ca, 'utf8');
  const request = (user: string | null, method: string, path: string, body?: unknown) =>
    send(url, caPem, user === null ? undefined : (tokens as Record<string, string>)[user] ?? user, method, path, body);
  try {
    await waitReady(() => request('admin', 'GET', '/readyz'), [etcd, apiserver], join(dir, 'apiserver.log'));
  } catch (error) {
    await stopProcesses([apiserver, etcd]);
    throw error;
  }
  const kubeconfig = (user: string): string => {
    const path = join(dir, `kubeconfig-${user}.yaml`);
    writeFileSync(path, kubeconfigYaml(url, caPem, user, (tokens as Record<string, string>)[user] ?? user), { mode: 0o600 });
    return path;
  };
  return {
    url,
    caFile: pki.ca,
    caPem,
    tokens,
    adminKubeconfig: kubeconfig('admin'),
    auditLogPath,
    apiserverArgs,
    etcdArgs,
    kubeconfig,
    request,
    async createNamespace(name, labels) {
      const created = await request('admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });
      if (created.status !== 201 && created.status !== 409) throw new Error(`creating namespace ${name}: HTTP ${created.status} ${created.text}`);
      const account = await request('admin', 'POST', `/api/v1/namespaces/${name}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
      if (account.status !== 201 && account.status !== 409) throw new Error(`creating ${name}/default ServiceAccount: HTTP ${account.status} ${account.text}`);
    },
    async stop() {
      await stopProcesses([apiserver, etcd]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function hardenedArgs(dir: string): string[] {
  const encryption = join(dir, 'encryption.yaml');
  writeFileSync(
    encryption,
    yaml.dump({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [{ name: 'key1', secret: randomBytes(32).toString('base64') }] } }, { identity: {} }] }],
    }),
    { mode: 0o600 },
  );
  return [
    '--anonymous-auth=false',
    '--profiling=false',
    '--audit-log-maxage=30',
    '--audit-log-maxbackup=10',
    '--audit-log-maxsize=100',
    `--encryption-provider-config=${encryption}`,
    '--enable-admission-plugins=NodeRestriction,PodSecurity',
    '--tls-min-version=VersionTLS12',
  ];
}

function token(): string {
  return randomBytes(24).toString('hex');
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
}

/** A CA, the API server's serving certificate (loopback names), and the service-account signing key pair. */
function certificates(dir: string) {
  const pki = join(dir, 'pki');
  mkdirSync(pki);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kubeharden-test-ca'], pki);
  writeFileSync(join(pki, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver'], pki);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext'], pki);
  openssl(['genrsa', '-out', 'sa.key', '2048'], pki);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], pki);
  return { ca: join(pki, 'ca.crt'), serverCert: join(pki, 'server.crt'), serverKey: join(pki, 'server.key'), saKey: join(pki, 'sa.key'), saPub: join(pki, 'sa.pub') };
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function startProcess(binary: string, args: readonly string[], logFile: string): ChildProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const chunks: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    chunks.push(chunk.toString());
    if (chunks.length > 400) chunks.splice(0, 200);
  });
  child.on('exit', () => {
    running.delete(child);
    try {
      writeFileSync(logFile, chunks.join(''));
    } catch {
      // the folder is gone after stop()
    }
  });
  (child as ChildProcess & { log: () => string }).log = () => chunks.join('');
  running.add(child);
  return child;
}

async function waitReady(check: () => Promise<{ status: number }>, processes: ChildProcess[], logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const exited = processes.find((child) => child.exitCode !== null);
    if (exited) throw new Error(`${exited.spawnfile} exited with ${exited.exitCode}:\n${tail((exited as ChildProcess & { log: () => string }).log())}`);
    try {
      const answer = await check();
      if (answer.status === 200) return;
      last = `HTTP ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const apiserver = processes[1] as ChildProcess & { log: () => string };
  throw new Error(`kube-apiserver not ready after 60 s (${last}); log ${logFile}:\n${tail(apiserver.log())}`);
}

function tail(text: string): string {
  return text.split('\n').slice(-40).join('\n');
}

async function stopProcesses(processes: ChildProcess[]): Promise<void> {
  for (const child of processes) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

function send(url: string, ca: string, bearer: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
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
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
        timeout: 30_000,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json, text });
        });
      },
    );
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
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
