/**
 * The `serve` pass of `npm run bench`: a real kube-apiserver and etcd with 10,000 objects; the agent (in its own
 * process, bench/serve-worker.ts) lists and judges them, then the API server takes 100 changes a second for 60
 * seconds, each stamped with its send time. Reports the initial sync, event-to-results latency p50/p99 (from the
 * watch event, and from the API write, to the history written), CPU, memory over the run and the load average.
 *
 * The agent has the sinks the shipped manifests give it: the SQLite history and PolicyReports (Kyverno's CRDs are
 * installed first); `--serve-reports` chooses the reports as `serve --reports` does (`none`: the history alone).
 *
 * The changes (`--serve-change`):
 * - `in-place` (default): Deployments turned privileged and back, their token mounting turned off and on. Each
 *   re-judges the Deployment and its namespace's inventory controls; the cluster-wide ones read nothing that moved.
 * - `labels`: a pod-template label changed: what NetworkPolicy peers select on, so each batch also re-runs the
 *   cluster-wide inventory controls over every object (the worst case).
 *
 *   node --expose-gc dist/bench/run.js --serve-only [--serve-objects 10000 --serve-rate 100 --serve-seconds 60 --serve-change in-place|labels --serve-reports policyreport|openreports|both|none]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../src/cluster/api-client.js';
import { startCluster } from '../test/support/cluster-harness.js';
import { crdsOf, installCrds, KYVERNO_CRDS, OPENREPORTS_CRDS } from '../test/support/report-crds.js';
import { reportApis, type ReportChoice } from '../src/serve/report-choice.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seed } from './cluster.js';
import { describeSample, type MemorySample } from './process-memory.js';

const projectRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const worker = resolve(projectRoot, 'dist', 'bench', 'serve-worker.js');

export type ServeChange = 'in-place' | 'labels';

/** Requests the load generator keeps open at most; a change due while this many are open is skipped (and counted). */
const IN_FLIGHT = 128;

export async function benchServe(objects: number, rate: number, seconds: number, change: ServeChange, reports: ReportChoice): Promise<void> {
  const cluster = await startCluster({ profile: 'hardened' });
  if ('skip' in cluster) {
    console.log(`\nserve: skipped (${cluster.skip})`);
    return;
  }
  const dir = tempDir('bench-serve');
  try {
    const seedStart = Date.now();
    const created = await seed(cluster, objects);
    console.log(`\nserve: a real kube-apiserver v1.37.2 + etcd holding ${created} namespaced objects (created in ${((Date.now() - seedStart) / 1000).toFixed(1)} s)`);
    // KUBEHARDEN_SERVE_CPU_PROFILE=DIR: the agent writes a V8 CPU profile there (NODE_OPTIONS may not carry --cpu-prof).
    // The report CRDs the agent writes to (the shipped manifests: `--reports policyreport`, Kyverno's).
    const apis = reportApis(reports);
    await installCrds(cluster, [...(apis.includes('wgpolicyk8s.io/v1alpha2') ? crdsOf(KYVERNO_CRDS) : []), ...(apis.includes('openreports.io/v1alpha1') ? crdsOf(OPENREPORTS_CRDS) : [])]);
    const profile = process.env['KUBEHARDEN_SERVE_CPU_PROFILE'];
    const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), worker, cluster.adminKubeconfig, `sqlite:${join(dir, 'history.db')}`, reports], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ready = JSON.parse(((await lines.next()).value as string) ?? '{}') as { syncSeconds: number; objects: number; findings: number; memory: MemorySample };
    console.log(`initial sync: ${ready.objects} objects, ${ready.findings} findings judged and written in ${ready.syncSeconds.toFixed(2)} s`);
    console.log(`  memory after it (MiB): ${describeSample(ready.memory)}`);
    const namespaces = Math.max(1, Math.round(created / 499));
    // Keep-alive connections and a bound on requests in flight: a change the API server cannot take yet is skipped
    // (and counted), so the rate reported is the rate the server accepted.
    // Many connections: each write waits mostly on etcd's commit, which batches the writes that arrive together.
    const writer = await ApiClient.connect({ kubeconfig: cluster.adminKubeconfig, timeoutMs: 30_000, concurrency: 64 });
    let sent = 0;
    let failed = 0;
    let skipped = 0;
    const start = Date.now();
    const loadBefore = loadavg()[0] as number;
    const inFlight = new Set<Promise<void>>();
    for (let tick = 0; Date.now() - start < seconds * 1000; tick++) {
      const due = start + (tick * 1000) / rate;
      if (due > Date.now()) await new Promise((resolveWait) => setTimeout(resolveWait, due - Date.now()));
      const namespace = `bench-${tick % namespaces}`;
      const name = `deployment-${Math.floor(tick / namespaces) % 100}`;
      const privileged = Math.floor(tick / (namespaces * 100)) % 2 === 0;
      const patch = [
        { op: 'add', path: '/metadata/annotations', value: { 'kubeharden.io/bench-sent-at': String(Date.now()) } },
        ...(change === 'labels'
          ? [{ op: 'add', path: '/spec/template/metadata/labels/tier', value: privileged ? 'front' : 'back' }]
          : [
              { op: 'add', path: '/spec/template/spec/containers/0/securityContext', value: { privileged } },
              { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: !privileged },
            ]),
      ];
      if (inFlight.size >= IN_FLIGHT) {
        skipped++;
        continue;
      }
      const request = writer
        .write('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, patch, 'application/json-patch+json')
        .then(
          (response) => {
            if (response.status === 200) sent++;
            else failed++;
          },
          () => {
            failed++;
          },
        )
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    const loadDuring = loadavg()[0] as number;
    await Promise.all(inFlight);
    writer.close();
    child.stdin.end();
    const result = JSON.parse(((await lines.next()).value as string) ?? '{}') as { changes: number; p50Ms: number; p99Ms: number; maxMs: number; agentP50Ms: number; agentP99Ms: number; agentMaxMs: number; batches: number; initialReportMs: number | null; reportRounds: number; reportP50Ms: number; reportP99Ms: number; reportMaxMs: number; cpuSeconds: number; cpuShare: number; peakRssMb: number; samples: { second: number; memory: MemorySample }[] };
    await new Promise((resolveExit) => child.on('close', resolveExit));
    console.log(`changes (${change}, reports: ${reports}): ${sent} accepted in ${seconds} s (${(sent / seconds).toFixed(0)}/s; ${failed} refused, ${skipped} skipped while ${IN_FLIGHT} were in flight), ${result.changes} timed, in ${result.batches} batches`);
    console.log('latency                        p50 ms  p99 ms  max ms');
    console.log(['watch event → results written  ', String(result.agentP50Ms).padEnd(7), String(result.agentP99Ms).padEnd(7), String(result.agentMaxMs)].join(' '));
    console.log(['API write → results written    ', String(result.p50Ms).padEnd(7), String(result.p99Ms).padEnd(7), String(result.maxMs)].join(' '));
    if (reports !== 'none') {
      // NaN travels as null: no round finished.
      if (result.reportRounds > 0) console.log(['batch → reports written        ', String(Math.round(result.reportP50Ms)).padEnd(7), String(Math.round(result.reportP99Ms)).padEnd(7), String(Math.round(result.reportMaxMs))].join(' '));
      const initial = result.initialReportMs === null ? 'not finished' : `${(result.initialReportMs / 1000).toFixed(1)} s after the first judgement`;
      console.log(`reports: written off the batch path; the initial round ${initial}, ${result.reportRounds} rounds after it`);
    }
    console.log(`agent CPU ${result.cpuSeconds.toFixed(1)} s (${(result.cpuShare * 100).toFixed(0)}% of one core; ${((result.cpuSeconds * 1000) / Math.max(1, result.batches)).toFixed(0)} ms a batch, ${((result.cpuSeconds * 1000) / Math.max(1, result.changes)).toFixed(1)} ms a change), peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    console.log(`load average (1 min) ${loadBefore.toFixed(1)} before the changes, ${loadDuring.toFixed(1)} at their end (2 cores)`);
    console.log('memory over the run (MiB):');
    for (const sample of result.samples) console.log(`  ${String(sample.second).padStart(3)} s: ${describeSample(sample.memory)}`);
  } finally {
    await cluster.stop();
  }
}
