/**
 * The `serve` pass of `npm run bench`: a real kube-apiserver and etcd with 10,000 objects; the agent (in its own
 * process, bench/serve-worker.ts) lists and judges them, then the API server takes 100 changes a second for 60
 * seconds, each stamped with its send time. The initial sync is the first judgement and its reports: the changes
 * start once both are written. Reports the initial sync, event-to-results latency p50/p99 (from the
 * watch event, and from the API write, to the history written; to the report showing it, also per 10 s of changes),
 * CPU (the agent's, the API server's, etcd's, the bench's own, and the machine's busy, idle and stolen shares),
 * memory over the run and the load average.
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
 *   node --expose-gc dist/bench/run.js --serve-only [--serve-objects 10000 --serve-rate 100 --serve-seconds 60 --serve-change in-place|labels --serve-reports policyreport|openreports|both|none --serve-report-scope resource|namespace]
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { request } from 'node:https';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../src/cluster/api-client.js';
import { startCluster } from '../test/support/cluster-harness.js';
import { crdsOf, installCrds, KYVERNO_CRDS, OPENREPORTS_CRDS } from '../test/support/report-crds.js';
import { DEFAULT_REPORT_SCOPE, reportApis, type ReportChoice, type ReportScope } from '../src/serve/report-choice.js';
import type { PolicyReportApi } from '../src/report/policy-report.js';
import { MANAGED_BY_SELECTOR, REPORT_RESOURCES } from '../src/serve/policy-report-sink.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seed } from './cluster.js';
import { describeMachineCpu, machineCpu, processCpuMs } from './child-cpu.js';
import { describeSample, type MemorySample } from './process-memory.js';
import { ascending, quantile } from './quantile.js';

const projectRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const worker = resolve(projectRoot, 'dist', 'bench', 'serve-worker.js');

export type ServeChange = 'in-place' | 'labels';

/** Requests the load generator keeps open at most; a change due while this many are open is skipped (and counted). */
const IN_FLIGHT = 128;

export async function benchServe(objects: number, rate: number, seconds: number, change: ServeChange, reports: ReportChoice, reportScope: ReportScope = DEFAULT_REPORT_SCOPE): Promise<void> {
  // KUBEHARDEN_SERVE_APISERVER_PROFILE=FILE: a pprof CPU profile of the API server over the changes is written there.
  const serverProfile = process.env['KUBEHARDEN_SERVE_APISERVER_PROFILE'];
  const cluster = await startCluster({ profile: 'hardened', ...(serverProfile ? { extraApiserverArgs: ['--profiling=true'] } : {}) });
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
    // Change → PolicyReport: the bench's own watch on the report kind (in-place changes toggle `privileged`), from
    // before the agent starts, so it holds every report as written (as Policy Reporter would) and needs no list.
    const reportWatch = apis[0] !== undefined && change === 'in-place' ? await watchReportLatency(cluster.adminKubeconfig, apis[0], reportScope) : undefined;
    const profile = process.env['KUBEHARDEN_SERVE_CPU_PROFILE'];
    const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), worker, cluster.adminKubeconfig, `sqlite:${join(dir, 'history.db')}`, reports, reportScope], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ready = JSON.parse(((await lines.next()).value as string) ?? '{}') as { syncSeconds: number; reportsSeconds: number; reportWrites: number; objects: number; findings: number; memory: MemorySample };
    console.log(`initial sync: ${ready.objects} objects, ${ready.findings} findings judged and written in ${ready.syncSeconds.toFixed(2)} s`);
    if (reports !== 'none') console.log(`  and their reports (${ready.reportWrites} writes, ${reportScope} scope) in ${ready.reportsSeconds.toFixed(2)} s: the changes start after them`);
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
    const serverCpuBefore = { apiserver: processCpuMs(cluster.pids.apiserver) ?? Number.NaN, etcd: processCpuMs(cluster.pids.etcd) ?? Number.NaN };
    // The bench's own share of the two cores: the load generator's writes and the report watch.
    const benchCpuBefore = process.cpuUsage();
    const machineBefore = machineCpu();
    const inFlight = new Set<Promise<void>>();
    const serverProfiled = serverProfile ? captureServerProfile(cluster, serverProfile, seconds) : undefined;
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
      // Registered before it is sent: the report cannot show it sooner.
      reportWatch?.changed(namespace, name, privileged, performance.now());
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
    const reportLatency = await reportWatch?.finish(10_000);
    if (serverProfiled) console.log(await serverProfiled);
    const serverCpu = { apiserver: (processCpuMs(cluster.pids.apiserver) ?? Number.NaN) - serverCpuBefore.apiserver, etcd: (processCpuMs(cluster.pids.etcd) ?? Number.NaN) - serverCpuBefore.etcd };
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const machineAfter = machineCpu();
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
      console.log(`reports (${reportScope} scope): written off the batch path; the initial round ${initial}, ${result.reportRounds} rounds after it`);
      if (reportLatency) {
        console.log(['API write → report shows it      ', String(reportLatency.p50Ms).padEnd(7), String(reportLatency.p99Ms).padEnd(7), String(reportLatency.maxMs)].join(' '));
        if (reportLatency.windows.length > 0) console.log(`  per 10 s of changes (p50/p99/max ms): ${reportLatency.windows.map((window) => `${window.fromSecond}s ${window.p50Ms}/${window.p99Ms}/${window.maxMs}`).join(' · ')}`);
        console.log(`  seen for ${reportLatency.seen} of ${reportLatency.changes} changes sent (${reportLatency.superseded} superseded by a later change first; ${reportLatency.events} report events, ${(reportLatency.bytes / 1e6).toFixed(1)} MB, the initial round included, watched by the bench; the watch reopened ${reportLatency.reopened} times, ${reportLatency.relisted} after 410 Gone)`);
      }
    }
    console.log(`agent CPU ${result.cpuSeconds.toFixed(1)} s (${(result.cpuShare * 100).toFixed(0)}% of one core; ${((result.cpuSeconds * 1000) / Math.max(1, result.batches)).toFixed(0)} ms a batch, ${((result.cpuSeconds * 1000) / Math.max(1, result.changes)).toFixed(1)} ms a change), peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    console.log(`API server CPU ${(serverCpu.apiserver / 1000).toFixed(1)} s, etcd ${(serverCpu.etcd / 1000).toFixed(1)} s, the bench itself (writes and report watch) ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s from the first change to the last report seen`);
    console.log(describeMachineCpu(machineBefore, machineAfter));
    console.log(`load average (1 min) ${loadBefore.toFixed(1)} before the changes, ${loadDuring.toFixed(1)} at their end (2 cores)`);
    console.log('memory over the run (MiB):');
    for (const sample of result.samples) console.log(`  ${String(sample.second).padStart(3)} s: ${describeSample(sample.memory)}`);
  } finally {
    await cluster.stop();
  }
}

/** The control a privileged container fails: what the in-place changes turn on and off. */
const PRIVILEGED_CONTROL = 'POD-NO-PRIVILEGED';

interface ReportLatency {
  readonly changes: number;
  readonly seen: number;
  readonly superseded: number;
  readonly events: number;
  readonly bytes: number;
  /** Times the API server ended the bench's watch and it was opened again, and of those, listed again (410 Gone). */
  readonly reopened: number;
  readonly relisted: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The same per 10 s of the changes, by when each change was sent: whether the tail is a moment or the whole run. */
  readonly windows: readonly { readonly fromSecond: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number }[];
}

/**
 * Watches the namespaced report kind from the bench's side (as Policy Reporter would) and times each accepted
 * change to its Deployment's report showing it: the privileged result there when the change made the Deployment
 * privileged, gone when it made it unprivileged. Per resource, a Deployment's report is the one whose `scope`
 * names it (deleted: nothing privileged); per namespace, the namespace's objects together (its parts).
 * A change followed by another of the same Deployment before its report showed it is counted as superseded.
 */
async function watchReportLatency(kubeconfig: string, api: PolicyReportApi, scope: ReportScope): Promise<{ changed(namespace: string, name: string, privileged: boolean, at: number): void; finish(graceMs: number): Promise<ReportLatency> }> {
  const client = await ApiClient.connect({ kubeconfig, timeoutMs: 30_000, concurrency: 2 });
  /** Changes not yet shown, per Deployment (`namespace/name`), oldest first. */
  const pending = new Map<string, { privileged: boolean; at: number }[]>();
  /** Per report object (`namespace/name`), the Deployments it shows privileged, and which Deployment it is about (per resource). */
  const objects = new Map<string, { privileged: Set<string>; about: string | undefined }>();
  /** Each change the reports showed: when it was sent (performance.now()) and how long its report took. */
  const timed: { sentAt: number; ms: number }[] = [];
  /** Per Deployment, how many report objects now show it privileged (a per-resource report: its own; at most one). */
  const shownBy = new Map<string, number>();
  let firstChangeAt: number | undefined;
  let changes = 0;
  let superseded = 0;
  let events = 0;
  let bytes = 0;
  /** Is the Deployment privileged in the reports as they stand now? */
  const shownPrivileged = (deployment: string): boolean => (shownBy.get(deployment) ?? 0) > 0;
  const count = (deployments: Iterable<string>, by: 1 | -1) => {
    for (const deployment of deployments) {
      const shown = (shownBy.get(deployment) ?? 0) + by;
      if (shown === 0) shownBy.delete(deployment);
      else shownBy.set(deployment, shown);
    }
  };
  const settle = (deployment: string, now: number) => {
    const waiting = pending.get(deployment);
    if (!waiting) return;
    const shown = shownPrivileged(deployment);
    // The newest change the reports agree with: it and every older one are settled (the older ones superseded).
    const index = waiting.map((entry) => entry.privileged).lastIndexOf(shown);
    if (index < 0) return;
    timed.push({ sentAt: waiting[index]!.at, ms: now - waiting[index]!.at });
    superseded += index;
    waiting.splice(0, index + 1);
    if (waiting.length === 0) pending.delete(deployment);
  };
  const onEvent = (type: string, object: Record<string, unknown>, now: number) => {
    const metadata = (object['metadata'] ?? {}) as { namespace?: string; name?: string };
    const key = `${metadata.namespace}/${metadata.name}`;
    const before = objects.get(key);
    const touched = new Set<string>([...(before?.privileged ?? []), ...(before?.about !== undefined ? [before.about] : [])]);
    if (before) count(before.privileged, -1);
    if (type === 'DELETED') objects.delete(key);
    else {
      const privileged = new Set<string>();
      const target = object['scope'] as { kind?: string; name?: string } | undefined;
      for (const result of (object['results'] ?? []) as { policy?: string; result?: string; resources?: { kind?: string; name?: string }[] }[]) {
        // A per-resource report's results are about its scope (they name no resource); a namespace's name theirs.
        const resource = result.resources?.[0] ?? target;
        if (result.policy === PRIVILEGED_CONTROL && result.result === 'fail' && resource?.kind === 'Deployment') privileged.add(`${metadata.namespace}/${resource.name}`);
      }
      const about = target?.kind === 'Deployment' ? `${metadata.namespace}/${target.name}` : undefined;
      objects.set(key, { privileged, about });
      count(privileged, 1);
      for (const deployment of privileged) touched.add(deployment);
      if (about) touched.add(about);
    }
    if (scope === 'namespace') {
      // The namespace's objects cover every Deployment in it.
      for (const deployment of pending.keys()) if (deployment.startsWith(`${metadata.namespace}/`)) touched.add(deployment);
    }
    for (const deployment of touched) settle(deployment, now);
  };
  // As an informer would: the watch is opened again from the last resourceVersion seen when the API server ends it
  // (it ends a watcher that falls behind a burst of writes); on 410 Gone the kind is listed again.
  const base = `/apis/${api}/${REPORT_RESOURCES[api].namespaced}`;
  const selector = `labelSelector=${encodeURIComponent(MANAGED_BY_SELECTOR)}`;
  let resourceVersion: string | undefined;
  let reopened = 0;
  let relisted = 0;
  let stopping = false;
  let current: IncomingMessage | undefined;
  const relist = async () => {
    relisted++;
    const listed = await client.get(`${base}?${selector}`);
    if (listed.status !== 200) throw new Error(`listing reports: HTTP ${listed.status}`);
    const list = JSON.parse(listed.body.toString('utf8')) as { metadata: { resourceVersion: string }; items: Record<string, unknown>[] };
    const now = performance.now();
    const present = new Set<string>();
    for (const item of list.items) {
      const metadata = item['metadata'] as { namespace?: string; name?: string };
      present.add(`${metadata.namespace}/${metadata.name}`);
      onEvent('MODIFIED', item, now);
    }
    for (const key of [...objects.keys()]) {
      if (present.has(key)) continue;
      const [namespace, name] = key.split('/');
      onEvent('DELETED', { metadata: { namespace, name } }, now);
    }
    resourceVersion = list.metadata.resourceVersion;
  };
  const open = async () => {
    current = await client.stream(`${base}?watch=1&allowWatchBookmarks=true&${selector}${resourceVersion === undefined ? '' : `&resourceVersion=${resourceVersion}`}`);
    return current;
  };
  const consume = async (response: IncomingMessage): Promise<'ended' | 'gone'> => {
    if (response.statusCode === 410) return 'gone';
    if (response.statusCode !== 200) throw new Error(`watching reports: HTTP ${response.statusCode}`);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        rest += decoder.write(chunk);
        let newline;
        while ((newline = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, newline);
          rest = rest.slice(newline + 1);
          if (line.trim() === '') continue;
          const event = JSON.parse(line) as { type: string; object: Record<string, unknown> };
          if (event.type === 'ERROR') return (event.object['code'] as number | undefined) === 410 ? 'gone' : 'ended';
          resourceVersion = (event.object['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion ?? resourceVersion;
          if (event.type === 'BOOKMARK') continue;
          events++;
          onEvent(event.type, event.object, performance.now());
        }
      }
    } catch (error) {
      if (!stopping) throw error;
    }
    return 'ended';
  };
  // Open before the agent starts, so no report is missed.
  const first = await open();
  if (first.statusCode !== 200) throw new Error(`watching reports: HTTP ${first.statusCode}`);
  let watchError: Error | undefined;
  const reading = (async () => {
    let response = first;
    for (;;) {
      const outcome = await consume(response);
      if (stopping) return;
      if (outcome === 'gone') await relist();
      reopened++;
      response = await open();
      if (stopping) return void response.destroy();
    }
  })().catch((error: Error) => {
    watchError = error;
  });
  return {
    changed(namespace, name, privileged, at) {
      changes++;
      firstChangeAt ??= at;
      const deployment = `${namespace}/${name}`;
      let waiting = pending.get(deployment);
      if (!waiting) pending.set(deployment, (waiting = []));
      waiting.push({ privileged, at });
    },
    async finish(graceMs) {
      // The last changes' reports may still be on their way.
      const deadline = performance.now() + graceMs;
      while (pending.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      stopping = true;
      current?.destroy();
      await reading;
      client.close();
      if (watchError) throw new Error(`the bench's report watch failed: ${watchError.message}`);
      const byWindow = new Map<number, number[]>();
      // The last change, sent at 60 s (tick 6,000 of 100/s) or a few ms after, joins the window before it instead of
      // making its own: a window opens for the end of the run only when changes were sent for a second of it.
      const lastSent = timed.reduce((latest, { sentAt }) => Math.max(latest, sentAt), Number.NEGATIVE_INFINITY);
      const lastWindow = Math.max(0, Math.floor((lastSent - (firstChangeAt ?? 0) - 1000) / 10_000)) * 10;
      for (const { sentAt, ms } of timed) {
        // A change was timed, so one was sent: firstChangeAt is set.
        const window = Math.min(lastWindow, Math.floor((sentAt - firstChangeAt!) / 10_000) * 10);
        let values = byWindow.get(window);
        if (!values) byWindow.set(window, (values = []));
        values.push(ms);
      }
      const windows = [...byWindow].sort(([a], [b]) => a - b).map(([fromSecond, values]) => ({ fromSecond, ...quantiles(values) }));
      return { changes, seen: timed.length, superseded, events, bytes, reopened, relisted, ...quantiles(timed.map(({ ms }) => ms)), windows };
    },
  };
}

/** p50, p99 and max of some latencies, in whole ms. */
function quantiles(values: readonly number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = ascending(values);
  return { p50Ms: Math.round(quantile(sorted, 0.5)), p99Ms: Math.round(quantile(sorted, 0.99)), maxMs: Math.round(sorted.at(-1) ?? Number.NaN) };
}

/** Fetches the API server's pprof CPU profile for the change phase (`go tool pprof FILE` reads it). */
async function captureServerProfile(cluster: { url: string; caPem: string; tokens: Readonly<Record<string, string>> }, file: string, seconds: number): Promise<string> {
  return new Promise((resolveProfile) => {
    const url = new URL(`/debug/pprof/profile?seconds=${seconds}`, cluster.url);
    const get = request(url, { ca: cluster.caPem, headers: { authorization: `Bearer ${cluster.tokens['admin']}` } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        resolveProfile(`API server profile: HTTP ${response.statusCode}`);
        return;
      }
      pipeline(response, createWriteStream(file)).then(
        () => resolveProfile(`API server profile (${seconds} s of the changes): ${file}`),
        (error: Error) => resolveProfile(`API server profile: ${error.message}`),
      );
    });
    get.on('error', (error) => resolveProfile(`API server profile: ${error.message}`));
    get.end();
  });
}
