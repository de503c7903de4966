/**
 * The admission cost of `kubeharden export vap`, on the test API server (the harness's kube-apiserver and etcd):
 * p50/p99 latency of server-side dry-run creates of a compliant Pod and Deployment with no policy and with every
 * exported control bound (Deny) as the default export writes it (`--split combined`: one policy for the pod
 * controls), then as one policy per control (`--split per-control`). One request at a time, so each latency is one
 * request's own.
 *
 * The no-policy and combined runs alternate in rounds (none, combined, none, combined, …; `--vap-rounds`, 5), each
 * round a fifth of the requests after a short warm-up and a client GC: on a shared 2-core machine, load that comes and
 * goes then falls on both sides alike instead of on whichever ran at the time. The policies stay; their bindings come
 * and go ("no policy" is no policy bound). The printed p50/p99 are over all
 * requests of a side (1,000 each by default); the spread of the rounds' own p99 is printed beside them.
 *
 *   npm run bench -- --vap-only [--vap-requests 1000] [--vap-rounds 5] [--vap-profile FILE]
 *
 * `--vap-profile FILE` also writes a Go CPU profile of the API server (its /debug/pprof, on with the harness's
 * insecure profile) taken while the combined export judges requests: `go tool pprof -top <kube-apiserver> FILE`
 * shows which CEL programs cost.
 */
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, loadavg } from 'node:os';
import { CONTROLS } from '../src/controls/index.js';
import { exportVap, type VapExport } from '../src/enforce/vap/export-vap.js';
import type { VapSplit } from '../src/enforce/vap/splits.js';
import { DEFAULT_SETTINGS } from '../src/engine/types.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { parseKubeVersion } from '../src/kube/version.js';
import { startCluster, type Cluster } from '../test/support/cluster-harness.js';
import { processCpuMs } from './child-cpu.js';

const NAMESPACE = 'bench-vap';
const WARMUP = 100;
/** Warm-up requests after each switch between no policy and the combined export. */
const ROUND_WARMUP = 20;

/** A workload every exported control admits: the requests measure evaluation, not the first failing check. */
const podSpec = {
  serviceAccountName: 'web',
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'web',
      image: 'registry.example.com/web:1.4.2@sha256:0d8e2e4a9c7d1f3b5a6c8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b',
      imagePullPolicy: 'Always',
      ports: [{ containerPort: 8080 }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    },
  ],
};
const WORKLOADS = [
  { path: `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: NAMESPACE }, spec: podSpec } },
  {
    path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments?dryRun=All`,
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NAMESPACE }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } } },
  },
];
const PRIVILEGED = { ...WORKLOADS[0]?.body, spec: { containers: [{ name: 'x', image: 'x', securityContext: { privileged: true } }] } };

/** kube-apiserver's CPU time so far (user + system), in ms: on a shared machine, wall time also counts waiting. */
function apiserverCpuMs(cluster: Cluster): number {
  const ms = processCpuMs(cluster.pids.apiserver);
  if (ms === undefined) throw new Error(`cannot read /proc/${cluster.pids.apiserver}/stat: the bench needs Linux's /proc`);
  return ms;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Keeps the combined policy busy for the seconds of one /debug/pprof/profile and writes what it answered. */
async function profileWhileBusy(cluster: Cluster, file: string, seconds = 20): Promise<void> {
  const profile = new Promise<Buffer>((resolve, reject) => {
    const url = new URL(`/debug/pprof/profile?seconds=${seconds}`, cluster.url);
    https
      .get(url, { ca: cluster.caPem, headers: { authorization: `Bearer ${cluster.tokens.admin as string}` } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`pprof answered ${String(response.statusCode)}`))));
      })
      .on('error', reject);
  });
  let done = false;
  const finished = profile.finally(() => (done = true));
  for (let index = 0; !done; index++) {
    const workload = WORKLOADS[index % WORKLOADS.length] as (typeof WORKLOADS)[number];
    await cluster.request('admin', 'POST', workload.path, workload.body);
  }
  writeFileSync(file, await finished);
  console.log(`API server CPU profile (combined export, ${seconds} s): ${file}`);
}

interface Run {
  readonly times: number[];
  readonly cpuMs: number;
}

async function latencies(cluster: Cluster, count: number, warmup = WARMUP): Promise<Run> {
  const times: number[] = [];
  let cpuStart = 0;
  // The client's own garbage collection is not the API server's latency.
  globalThis.gc?.();
  for (let index = 0; index < warmup + count; index++) {
    if (index === warmup) cpuStart = apiserverCpuMs(cluster);
    const workload = WORKLOADS[index % WORKLOADS.length] as (typeof WORKLOADS)[number];
    const started = process.hrtime.bigint();
    const response = await cluster.request('admin', 'POST', workload.path, workload.body);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status !== 201) throw new Error(`the benchmark workload was not admitted: ${response.text.slice(0, 500)}`);
    if (index >= warmup) times.push(ms);
  }
  return { times, cpuMs: apiserverCpuMs(cluster) - cpuStart };
}

/** Policies reach admission through an informer: wait until a privileged Pod is (or is no longer) rejected. */
async function waitForPolicies(cluster: Cluster, active: boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await cluster.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, PRIVILEGED);
    if ((response.status === 201) !== active) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the policies did not become ${active ? 'active' : 'inactive'} within 60 s`);
}

const PATHS: Readonly<Record<string, string>> = {
  ValidatingAdmissionPolicy: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies',
  ValidatingAdmissionPolicyBinding: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings',
  ConfigMap: `/api/v1/namespaces/${NAMESPACE}/configmaps`,
};

const nameOf = (object: Record<string, unknown>) => String((object.metadata as Record<string, unknown>).name);
const isBinding = (object: Record<string, unknown>) => object.kind === 'ValidatingAdmissionPolicyBinding';

async function create(cluster: Cluster, objects: readonly Record<string, unknown>[]): Promise<void> {
  for (const object of objects) {
    const response = await cluster.request('admin', 'POST', PATHS[String(object.kind)] as string, object);
    if (response.status !== 201) throw new Error(`${String(object.kind)} not accepted: ${response.text.slice(0, 500)}`);
  }
}

async function remove(cluster: Cluster, objects: readonly Record<string, unknown>[]): Promise<void> {
  for (const object of objects) await cluster.request('admin', 'DELETE', `${PATHS[String(object.kind)] as string}/${nameOf(object)}`);
}

/**
 * Binds the export's policies (already created), waits until they judge requests, runs `measure`, then unbinds them
 * and waits until they no longer do. Only the bindings come and go: deleting the policies and their params ConfigMap
 * and creating them again left kube-apiserver 1.37 reading the params with a GET to itself on every request (its
 * param informer's cache missed them), which would be measured as policy cost.
 */
async function whileBound<T>(cluster: Cluster, exported: VapExport, measure: () => Promise<T>): Promise<T> {
  await create(cluster, exported.objects.filter(isBinding));
  await waitForPolicies(cluster, true);
  const result = await measure();
  await remove(cluster, exported.objects.filter(isBinding));
  await waitForPolicies(cluster, false);
  return result;
}

/** Several runs as one: every latency, and the CPU they took. */
function pooled(runs: readonly Run[]): Run {
  return { times: runs.flatMap((run) => run.times), cpuMs: runs.reduce((sum, run) => sum + run.cpuMs, 0) };
}

const p99 = (run: Run) => percentile([...run.times].sort((a, b) => a - b), 99);
const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);
const spread = (values: readonly number[]) => `median ${median(values).toFixed(2)}, ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

export async function benchVap(requests: number, profileFile?: string, rounds = 5): Promise<void> {
  const started = await startCluster({ profile: 'insecure' });
  if ('skip' in started) {
    console.log(`\nValidatingAdmissionPolicy admission cost: skipped (${started.skip})`);
    return;
  }
  const cluster = started;
  try {
    await cluster.createNamespace(NAMESPACE);
    await cluster.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, { metadata: { name: 'web' } });
    const version = parseKubeVersion(`1.${cluster.version.minor.replace(/\D/g, '')}`);
    const exportAs = (split: VapSplit) =>
      exportVap({ catalog: CONTROLS, version, framework: 'all', action: 'Deny', split, settings: DEFAULT_SETTINGS, templatePaths: new TemplatePaths(), exceptions: [], today: new Date().toISOString().slice(0, 10), paramsNamespace: NAMESPACE });
    const combined = exportAs('combined');
    const perControl = exportAs('per-control');

    // The first run warms the API server and the client up; each later one warms up after the switch.
    const perRound = Math.ceil(requests / rounds);
    const noneRuns: Run[] = [];
    const combinedRuns: Run[] = [];
    // The policies and params are created once; "no policy" is no policy bound.
    await create(cluster, combined.objects.filter((o) => !isBinding(o)));
    for (let round = 0; round < rounds; round++) {
      noneRuns.push(await latencies(cluster, perRound, round === 0 ? WARMUP : ROUND_WARMUP));
      combinedRuns.push(
        await whileBound(cluster, combined, async () => {
          const measured = await latencies(cluster, perRound, ROUND_WARMUP);
          if (profileFile && round === rounds - 1) await profileWhileBusy(cluster, profileFile);
          return measured;
        }),
      );
    }
    // The params ConfigMap stays: the per-control policies read the same one.
    const isPolicy = (object: Record<string, unknown>) => object.kind === 'ValidatingAdmissionPolicy';
    await remove(cluster, combined.objects.filter(isPolicy));
    await create(cluster, perControl.objects.filter(isPolicy));
    const withPerControl = await whileBound(cluster, perControl, () => latencies(cluster, requests));

    const noneRun = pooled(noneRuns);
    const none = [...noneRun.times].sort((a, b) => a - b);
    const cpuNone = noneRun.cpuMs / none.length;
    const withCombined = pooled(combinedRuns);
    const policies = (result: VapExport) => result.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length;
    const row = (label: string, sorted: readonly number[], cpu: number) => `${label.padEnd(44)}${percentile(sorted, 50).toFixed(2).padStart(8)}${percentile(sorted, 99).toFixed(2).padStart(9)}${cpu.toFixed(2).padStart(11)}`;
    console.log(`\nValidatingAdmissionPolicy admission cost · kube-apiserver ${cluster.version.gitVersion} · ${combined.exported.length} controls (kubeharden export vap --framework all) · ${perRound * rounds} dry-run creates per setting (Pod and Deployment alternating, one at a time; no policy and combined alternate in ${rounds} rounds of ${perRound}, each after ${ROUND_WARMUP} warm-up, ${WARMUP} before the first)`);
    console.log(`machine load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    console.log(`${''.padEnd(44)}  p50 ms   p99 ms   apiserver CPU ms/request`);
    console.log(row(`no policy (${none.length} requests)`, none, cpuNone));
    const lines = [
      ['combined (default)', combined, withCombined],
      ['per-control', perControl, withPerControl],
    ] as const;
    for (const [label, result, run] of lines) console.log(row(`${label}: ${policies(result)} policies (${run.times.length})`, [...run.times].sort((a, b) => a - b), run.cpuMs / run.times.length));
    for (const [label, , run] of lines) {
      const all = [...run.times].sort((a, b) => a - b);
      console.log(`added, ${label}: p50 ${(percentile(all, 50) - percentile(none, 50)).toFixed(2)} ms, p99 ${(percentile(all, 99) - percentile(none, 99)).toFixed(2)} ms (target: ≤ 2 ms at p99); apiserver CPU ${(run.cpuMs / run.times.length - cpuNone).toFixed(2)} ms per request`);
    }
    const added = combinedRuns.map((run, index) => p99(run) - p99(noneRuns[index] as Run));
    const addedCpu = combinedRuns.map((run, index) => run.cpuMs / run.times.length - (noneRuns[index] as Run).cpuMs / (noneRuns[index] as Run).times.length);
    console.log(`rounds' p99 (${perRound} requests each): no policy ${spread(noneRuns.map(p99))} ms; combined ${spread(combinedRuns.map(p99))} ms; added ${spread(added)} ms; added apiserver CPU ${spread(addedCpu)} ms per request`);
  } finally {
    await cluster.stop();
  }
}
