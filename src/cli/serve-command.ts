import type { Command } from 'commander';
import { Agent } from '../serve/agent.js';
import { TokenAccess } from '../serve/access.js';
import { Dashboard } from '../serve/dashboard.js';
import { HistorySink } from '../serve/history-sink.js';
import { parseListen, ServeHttp } from '../serve/http-server.js';
import { Metrics } from '../serve/metrics.js';
import { addReportSinks } from '../serve/report-sinks.js';
import type { ReportChoice, ReportScope } from '../serve/report-choice.js';
import { DashboardClusters } from '../serve/dashboard-clusters.js';
import { favourMemory } from '../serve/memory-mode.js';
import { openHistory } from '../serve/store/open-history.js';
import type { History } from '../serve/store/history.js';
import { connectWithFlags, reachServer, serverMinor, type ConnectionFlags } from './cluster-command.js';
import { prepareSelection } from './scan-command.js';
import { supportDay } from './support-date.js';
import { UsageError } from './usage-error.js';
import { stopSignal } from './stop-signal.js';

interface ServeFlags extends ConnectionFlags {
  database: string;
  listen: string;
  clusterName?: string;
  reports: ReportChoice;
  reportScope: ReportScope;
  dashboardClusters: string;
  batch: string;
}

/**
 * `kubeharden serve`: watch the cluster and keep its findings current, with history, PolicyReports, /metrics and
 * a dashboard, until SIGTERM or SIGINT.
 */
export async function runServe(command: Command): Promise<number> {
  const flags = command.opts() as ServeFlags;
  if (flags.namespace !== undefined || flags.excludeNamespaces.length > 0) throw new UsageError('serve watches the whole cluster: --namespace and --exclude-namespaces are not supported');
  try {
    parseListen(flags.listen);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const batchMs = Number(flags.batch);
  if (!Number.isFinite(batchMs) || batchMs < 0) throw new UsageError(`--batch must be a number of milliseconds, not "${flags.batch}"`);
  favourMemory();
  const { options, version: flagVersion, scanOptions } = prepareSelection(command);
  const day = supportDay(command);
  const client = await connectWithFlags(flags);
  const gitVersion = await reachServer(client);
  const version = options.k8sVersion !== undefined ? flagVersion : serverMinor(gitVersion);
  const clusterName = flags.clusterName ?? client.contextName ?? client.server.host;
  const log = (line: string) => process.stderr.write(`kubeharden serve: ${line}\n`);

  let history: History | undefined;
  if (flags.database !== 'none') {
    try {
      history = await openHistory(flags.database);
    } catch (error) {
      throw new UsageError(`cannot open the history database: ${(error as Error).message}`);
    }
    await history.registerCluster(clusterName, client.serverName, gitVersion, Date.now());
  }
  const agent = new Agent(client, {
    scanOptions: { ...scanOptions, version },
    serverName: client.serverName,
    release: { version: gitVersion, source: "the API server's /version", day },
    batchMs,
    log,
  });
  if (history) agent.addSink(new HistorySink(history, clusterName));
  const reportFailed = (error: Error) => {
    agent.errors++;
    log(`writing reports: ${error.message}`);
  };
  addReportSinks(agent, client, { cluster: clusterName, version, reports: flags.reports, scope: flags.reportScope, onError: reportFailed });
  const metrics = new Metrics(agent, clusterName);
  const server = new ServeHttp({ listen: flags.listen, agent, metrics, dashboard: history ? new Dashboard(history, clusterName, DashboardClusters.parse(clusterName, flags.dashboardClusters)) : undefined, access: new TokenAccess(client), log });
  let port: number;
  try {
    port = await server.listen();
  } catch (error) {
    throw new UsageError(`cannot listen on ${flags.listen}: ${(error as Error).message}`);
  }
  const stopped = stopSignal();
  log(`cluster ${clusterName} (${client.serverName}, ${gitVersion}); listening on ${parseListen(flags.listen).host}:${port}; history ${history ? history.driver.dialect : 'off'}`);

  const started = agent.start().then(() => log(`ready: ${agent.live.size} objects, ${agent.findings().size} findings`));
  await Promise.race([started, stopped]);
  await stopped;
  log('stopping');
  await agent.stop();
  await server.close();
  await history?.close();
  client.close();
  return 0;
}
