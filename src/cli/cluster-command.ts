import type { Command } from 'commander';
import { ApiClient, ConnectionError, type ConnectOptions } from '../cluster/api-client.js';
import { scanCluster, serverVersion } from '../cluster/cluster-scan.js';
import { parseKubeVersion, VersionError, type KubeVersion } from '../kube/version.js';
import { emitReports, prepareScan } from './scan-command.js';
import { supportDay } from './support-date.js';
import { UsageError } from './usage-error.js';
import { terminalText } from '../report/terminal-text.js';

/** The flags main.ts's addConnectionOptions gives `cluster` and `fix --cluster`. */
export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  excludeNamespaces: string[];
  requestTimeout: string;
  concurrency: string;
  maxResponseSize: string;
  maxListPages: string;
  allowAuthProviderCommands?: boolean;
}

interface ClusterFlags extends ConnectionFlags {
  allNamespaces?: boolean;
  allowPartial?: boolean;
  probeAnonymous?: boolean;
  kubeletConfigz?: boolean;
}

/** `kubeharden cluster`: the same controls and reports as `scan`, over a live cluster's objects, read-only. */
export async function runCluster(command: Command): Promise<number> {
  const flags = command.opts() as ClusterFlags;
  if (flags.namespace !== undefined && flags.allNamespaces) throw new UsageError('give --namespace or --all-namespaces, not both');
  const session = prepareScan(command, []);
  const day = supportDay(command);
  const client = await connectWithFlags(flags);
  const gitVersion = await reachServer(client);
  // Judge the cluster by its own version unless the user chose one.
  const versionFromFlag = session.options.k8sVersion !== undefined;
  const version: KubeVersion = versionFromFlag ? session.version : serverMinor(gitVersion);
  process.stderr.write(
    // The server writes its version and the kubeconfig names the context: neither may act on the terminal.
    `kubeharden: ${terminalText(`cluster ${client.serverName}${client.contextName ? ` (context ${client.contextName})` : ''} runs ${gitVersion}`)}; judging it as Kubernetes 1.${version.minor}${versionFromFlag ? ' (--k8s-version)' : ''}\n`,
  );
  const progress = clusterProgress();
  const scan = await scanCluster(client, { ...session.scanOptions, version }, {
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    excludeNamespaces: excludedNamespaces(flags),
    probeAnonymous: flags.probeAnonymous ?? false,
    kubeletConfigz: flags.kubeletConfigz ?? false,
    // The release that runs is judged, whatever version --k8s-version chose to judge the rules by.
    release: { version: gitVersion, source: "the API server's /version", day },
    onProgress: progress.update,
  });
  progress.done();
  return emitReports({ ...session, version }, scan.result, {
    target: {
      kind: 'cluster',
      name: client.serverName,
      ...(client.contextName ? { context: client.contextName } : {}),
      serverVersion: gitVersion,
      versionSource: versionFromFlag ? 'flag' : 'server',
      requests: client.requests,
    },
    notAssessed: scan.notAssessed,
    allowPartial: flags.allowPartial ?? false,
  });
}

/** The client the connection flags describe; a flag out of range is a usage error. */
export async function connectWithFlags(flags: ConnectionFlags): Promise<ApiClient> {
  const timeoutSeconds = positiveNumber(flags.requestTimeout, '--request-timeout');
  const concurrency = positiveNumber(flags.concurrency, '--concurrency');
  if (!Number.isInteger(concurrency)) throw new UsageError(`--concurrency must be a whole number of at least 1, not "${flags.concurrency}"`);
  const maxResponseMiB = positiveNumber(flags.maxResponseSize, '--max-response-size');
  const maxListPages = positiveNumber(flags.maxListPages, '--max-list-pages');
  if (!Number.isInteger(maxListPages)) throw new UsageError(`--max-list-pages must be a whole number of at least 1, not "${flags.maxListPages}"`);
  return connectToCluster({
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
    timeoutMs: timeoutSeconds * 1000,
    concurrency,
    maxResponseBytes: Math.floor(maxResponseMiB * 1024 * 1024),
    maxListPages,
    allowAuthProviderCommands: flags.allowAuthProviderCommands ?? false,
  });
}

export function excludedNamespaces(flags: ConnectionFlags): string[] {
  return flags.excludeNamespaces.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

/** The server's version, or a usage error when it cannot be reached. */
export async function reachServer(client: ApiClient): Promise<string> {
  try {
    return await serverVersion(client);
  } catch (error) {
    throw new UsageError(`cannot reach the cluster: ${(error as Error).message}`);
  }
}

/** The API client of `cluster` and `netpol reach --cluster`; a kubeconfig or credential problem is a usage error (exit 2). */
export async function connectToCluster(options: ConnectOptions): Promise<ApiClient> {
  try {
    return await ApiClient.connect(options);
  } catch (error) {
    if (error instanceof ConnectionError) throw new UsageError(`cannot reach the cluster: ${error.message}`);
    throw error;
  }
}

export function serverMinor(gitVersion: string): KubeVersion {
  try {
    return parseKubeVersion(gitVersion);
  } catch (error) {
    if (error instanceof VersionError) throw new UsageError(`the server reports version "${gitVersion}", which kubeharden cannot read; give --k8s-version`);
    throw error;
  }
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a positive number, not "${text}"`);
  return value;
}

/** One line on a terminal's stderr while the lists come in; nothing when piped or in CI. */
function clusterProgress() {
  const enabled = process.stderr.isTTY === true && !process.env['CI'];
  let shown = false;
  return {
    update(objects: number, kindsDone: number, kindsTotal: number): void {
      if (!enabled) return;
      shown = true;
      process.stderr.write(`\r\x1b[Klisted ${objects} objects, ${kindsDone} of ${kindsTotal} kinds`);
    },
    done(): void {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
