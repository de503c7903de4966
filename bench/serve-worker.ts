/**
 * `kubeharden serve`'s engine in its own process for the benchmark (so CPU and peak RSS are the agent's alone):
 * the agent with its SQLite history, PolicyReports and metrics. It prints one JSON line when the first judgement and
 * its reports are written, then, when its standard input closes, one with the event-to-results latencies of the objects the parent
 * stamped (annotation kubeharden.io/bench-sent-at), CPU time and memory over the run.
 *
 * It runs as `kubeharden serve` does: the CLI's heap growing factor (src/cli/main.ts) and serve's memory mode
 * (src/cli/serve-command.ts), and no forced collections, so its memory is the deployed agent's.
 */
import { limitHeapGrowth } from '../src/cli/heap-growth.js';
import { ApiClient } from '../src/cluster/api-client.js';
import { serverVersion } from '../src/cluster/cluster-scan.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { parseKubeVersion } from '../src/kube/version.js';
import { Agent } from '../src/serve/agent.js';
import { HistorySink } from '../src/serve/history-sink.js';
import { favourMemory } from '../src/serve/memory-mode.js';
import { Metrics } from '../src/serve/metrics.js';
import { addReportSinks } from '../src/serve/report-sinks.js';
import type { ReportChoice, ReportScope } from '../src/serve/report-choice.js';
import { openHistory } from '../src/serve/store/open-history.js';
import { isRecord } from '../src/util/object.js';
import { memorySample, type MemorySample } from './process-memory.js';
import { quantile } from './quantile.js';

const [kubeconfig, database, reports, reportScope = 'resource'] = process.argv.slice(2) as [string, string, ReportChoice, ReportScope?];
limitHeapGrowth();
favourMemory();
const started = performance.now();
const client = await ApiClient.connect({ kubeconfig, timeoutMs: 30_000, concurrency: 8 });
const gitVersion = await serverVersion(client);
const history = await openHistory(database);
const pending: { sentAt: number; receivedAt: number }[] = [];
const latencies: number[] = [];
/** From the watch event's arrival in the agent to its results written: the agent's own share. */
const agentLatencies: number[] = [];
// KUBEHARDEN_SERVE_BATCH_MS: the agent's --batch (its default when unset), to compare batch windows.
const batchMs = process.env['KUBEHARDEN_SERVE_BATCH_MS'] ? Number(process.env['KUBEHARDEN_SERVE_BATCH_MS']) : undefined;
if (batchMs !== undefined && !(batchMs > 0)) throw new Error(`KUBEHARDEN_SERVE_BATCH_MS: a number of milliseconds above 0, not ${process.env['KUBEHARDEN_SERVE_BATCH_MS']}`);
const agent = new Agent(client, {
  ...(batchMs !== undefined ? { batchMs } : {}),
  scanOptions: { framework: 'nsa', version: parseKubeVersion(gitVersion), templatePaths: new TemplatePaths() },
  serverName: client.serverName,
  onEvent(_kind, object) {
    const annotations = isRecord(object['metadata']) && isRecord(object['metadata']['annotations']) ? object['metadata']['annotations'] : {};
    const sentAt = Number(annotations['kubeharden.io/bench-sent-at']);
    if (Number.isFinite(sentAt) && sentAt > 0) pending.push({ sentAt, receivedAt: Date.now() });
  },
});
agent.addSink(new HistorySink(history, 'bench'));
// The reports, as `kubeharden serve --reports --report-scope` writes them (the shipped manifests: policyreport, per resource).
const reportSinks = addReportSinks(agent, client, { cluster: 'bench', version: parseKubeVersion(gitVersion), reports, scope: reportScope, onError: (error) => process.stderr.write(`writing reports: ${error.message}\n`) });
const metrics = new Metrics(agent, 'bench');
agent.onSettled((event) => {
  const now = Date.now();
  const settledAt = event.at.getTime();
  let kept = 0;
  for (const entry of pending) {
    if (entry.receivedAt <= settledAt) {
      latencies.push(now - entry.sentAt);
      agentLatencies.push(now - entry.receivedAt);
    }
    else pending[kept++] = entry;
  }
  pending.length = kept;
});
await agent.start();
const syncSeconds = (performance.now() - started) / 1000;
// The initial sync ends when the first judgement's reports are written too: changes then find the reports current.
await Promise.all(reportSinks.map((sink) => sink.idle()));
const reportsSeconds = (performance.now() - started) / 1000;
const reportWrites = reportSinks.reduce((sum, sink) => sum + sink.writes, 0);
const afterSync = memorySample();
process.stdout.write(`${JSON.stringify({ ready: true, syncSeconds, reportsSeconds, reportWrites, objects: agent.live.size, findings: agent.findings().size, memory: afterSync, pid: process.pid })}\n`);

const cpuStart = process.cpuUsage();
const phaseStart = performance.now();
const samples: { second: number; memory: MemorySample }[] = [];
const sampler = setInterval(() => {
  // As the agent is, garbage not yet collected included: the deployed agent forces no collection either.
  samples.push({ second: Math.round((performance.now() - phaseStart) / 1000), memory: memorySample() });
}, 5000);
process.stdin.resume();
await new Promise((resolve) => process.stdin.on('end', resolve));
clearInterval(sampler);
// Let the last changes arrive and be judged.
await new Promise((resolve) => setTimeout(resolve, 2000));
const cpu = process.cpuUsage(cpuStart);
const seconds = (performance.now() - phaseStart) / 1000;
latencies.sort((a, b) => a - b);
agentLatencies.sort((a, b) => a - b);
// Reports are written off the batch path: from a batch to the end of the round of writes that holds it. The
// first round holds the initial judgement's reports.
const initialReportMs = reportSinks[0]?.reportLatencies[0] ?? Number.NaN;
const reportLatencies = reportSinks.flatMap((sink) => sink.reportLatencies.slice(1)).sort((a, b) => a - b);
metrics.render();
process.stdout.write(
  `${JSON.stringify({
    changes: latencies.length,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    agentP50Ms: quantile(agentLatencies, 0.5),
    agentP99Ms: quantile(agentLatencies, 0.99),
    agentMaxMs: agentLatencies.at(-1) ?? Number.NaN,
    batches: metrics.batches,
    initialReportMs,
    reportRounds: reportLatencies.length,
    reportP50Ms: quantile(reportLatencies, 0.5),
    reportP99Ms: quantile(reportLatencies, 0.99),
    reportMaxMs: reportLatencies.at(-1) ?? Number.NaN,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    cpuShare: (cpu.user + cpu.system) / 1e6 / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    samples,
  })}\n`,
);
await agent.stop();
await history.close();
client.close();
