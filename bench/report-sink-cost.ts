/**
 * What `kubeharden serve`'s PolicyReport sink costs per change, on both sides (`--report-sink-cost`): the serve
 * bench's objects (bench/cluster.ts, ~500 a namespace) judged by a LiveCluster in this process, the sink of this
 * build (per resource, Kyverno's CRDs) writing to the test API server (the harness's kube-apiserver and etcd). After
 * the first judgement's reports, the serve bench's in-place changes (a Deployment turned privileged and back, its
 * token mounting off and on), each judged, handed to the sink and written before the next, so each change is one
 * report write and nothing is coalesced. Printed: this process's CPU in the sink per change (rendering, digest,
 * HTTP and TLS; the judgement is left out), and the API server's and etcd's CPU per write (/proc). The changes run
 * in rounds (`--report-sink-rounds`, 3) with the spread of the rounds beside the totals.
 *
 * It imports nothing but what every build's sink has (the sink, the LiveCluster, the API client), so the same
 * compiled file can drive another build's sink (its dist/src in place of this one's) for a back-to-back comparison.
 *
 *   node --expose-gc dist/bench/run.js --report-sink-cost [--report-sink-namespaces 4 --report-sink-changes 1500 --report-sink-rounds 3]
 */
import { loadavg } from 'node:os';
import { ApiClient } from '../src/cluster/api-client.js';
import { LISTED_KINDS, type ListedKind } from '../src/cluster/resource-kinds.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { parseKubeVersion } from '../src/kube/version.js';
import type { Settled } from '../src/serve/agent.js';
import { findingKey } from '../src/serve/finding-key.js';
import { LiveCluster } from '../src/serve/live-cluster.js';
import { PolicyReportSink } from '../src/serve/policy-report-sink.js';
import type { Finding } from '../src/vocabulary/finding.js';
import { startCluster, type Cluster } from '../test/support/cluster-harness.js';
import { crdsOf, installCrds, KYVERNO_CRDS } from '../test/support/report-crds.js';
import { processCpuMs } from './child-cpu.js';
import { MIX, objectFor } from './cluster.js';

const VERSION = parseKubeVersion('v1.37.2');

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `measure` on the test API server (hardened profile) with Kyverno's PolicyReport CRDs, then stops it. */
export async function withReportCluster(what: string, measure: (cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = await startCluster({ profile: 'hardened' });
  if ('skip' in cluster) {
    console.log(`\n${what}: skipped (${cluster.skip})`);
    return;
  }
  try {
    await installCrds(cluster, crdsOf(KYVERNO_CRDS));
    await measure(cluster);
  } finally {
    await cluster.stop();
  }
}

export async function benchReportSinkCost(namespaces: number, changes: number, rounds: number): Promise<void> {
  await withReportCluster('report sink cost', async (cluster) => {
    const kinds = new Map(LISTED_KINDS.map((kind) => [kind.plural, kind]));
    const kind = (plural: string) => kinds.get(plural) as ListedKind;
    const live = new LiveCluster({ scanOptions: { framework: 'nsa', version: VERSION, templatePaths: new TemplatePaths() }, serverName: 'bench' });
    let version = 0;
    /** One uid per object, kept across its changes (the reports are named and owned by it). */
    const uids = new Map<string, string>();
    const stamped = (object: object): Record<string, unknown> => {
      const typed = object as { kind: string; metadata: Record<string, unknown> };
      const id = `${String(typed.metadata['namespace'] ?? '')}/${typed.kind}/${String(typed.metadata['name'])}`;
      if (!uids.has(id)) uids.set(id, `00000000-0000-4000-8000-${String(uids.size + 1).padStart(12, '0')}`);
      return { ...typed, metadata: { ...typed.metadata, resourceVersion: String(++version), uid: uids.get(id) } };
    };
    for (let n = 0; n < namespaces; n++) {
      await cluster.createNamespace(`bench-${n}`);
      live.upsert(kind('namespaces'), stamped({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${n}` } }));
      for (const { plural, count } of MIX) for (let index = 0; index < count; index++) live.upsert(kind(plural), stamped(objectFor(plural, `bench-${n}`, index)));
    }
    live.start();
    live.settle();
    const client = await ApiClient.connect({ kubeconfig: cluster.adminKubeconfig, timeoutMs: 30_000, concurrency: 8 });
    const errors: string[] = [];
    const sink = new PolicyReportSink(client, { cluster: 'bench', version: VERSION, api: 'wgpolicyk8s.io/v1alpha2', scope: 'resource', uidOf: (resource) => (resource.name === null ? undefined : live.uidOf(resource.kind, resource.namespace, resource.name)), onError: (error) => errors.push(error.message) });
    const findings = new Map<string, Finding>();
    for (const finding of live.findings()) findings.set(findingKey(finding), finding);
    const event = (fields: Pick<Settled, 'added' | 'changed' | 'removed' | 'initial'>): Settled => ({ at: new Date(), findings, scores: live.scores(), stats: { objects: 0, groups: [], ms: 0 }, lagMs: 0, ...fields });
    const initialCpu = cpuMs();
    await sink.settled(event({ added: [...findings.keys()], changed: [], removed: [], initial: true }));
    await sink.idle();
    const initial = { cpu: cpuMs() - initialCpu, writes: sink.writes };

    const perRound = Math.ceil(changes / rounds);
    const totals = { agentMs: 0, apiserverMs: 0, etcdMs: 0, writes: 0, changes: 0 };
    const spread: { agent: number; apiserver: number }[] = [];
    const loadBefore = loadavg()[0] as number;
    let tick = 0;
    for (let round = 0; round < rounds; round++) {
      let agentMs = 0;
      const writesBefore = sink.writes;
      const apiserver = processCpuMs(cluster.pids.apiserver) ?? Number.NaN;
      const etcd = processCpuMs(cluster.pids.etcd) ?? Number.NaN;
      for (let index = 0; index < perRound; index++, tick++) {
        // As the serve bench's load generator: change `tick` goes to namespace tick % namespaces.
        const deployment = objectFor('deployments', `bench-${tick % namespaces}`, Math.floor(tick / namespaces) % 100) as { spec: { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } };
        const privileged = Math.floor(tick / (namespaces * 100)) % 2 === 0;
        deployment.spec.template.spec.containers[0]!['securityContext'] = { privileged };
        deployment.spec.template.spec['automountServiceAccountToken'] = !privileged;
        live.upsert(kind('deployments'), stamped(deployment));
        const { gone, came } = live.settle();
        // The batch's keys as the agent hands them: a key that went and came back is a changed finding.
        const removed = new Map<string, Finding>();
        for (const finding of gone) {
          const key = findingKey(finding);
          if (findings.get(key) === finding) {
            findings.delete(key);
            removed.set(key, finding);
          }
        }
        const added: string[] = [];
        const changed: string[] = [];
        for (const finding of came) {
          const key = findingKey(finding);
          if (removed.delete(key)) changed.push(key);
          else added.push(key);
          findings.set(key, finding);
        }
        // The scores (computed by the agent after judging) are made before the sink's share is timed.
        const settled = event({ added, changed, removed: [...removed], initial: false });
        const before = cpuMs();
        await sink.settled(settled);
        await sink.idle();
        agentMs += cpuMs() - before;
      }
      const apiserverMs = (processCpuMs(cluster.pids.apiserver) ?? Number.NaN) - apiserver;
      const writes = sink.writes - writesBefore;
      totals.agentMs += agentMs;
      totals.apiserverMs += apiserverMs;
      totals.etcdMs += (processCpuMs(cluster.pids.etcd) ?? Number.NaN) - etcd;
      totals.writes += writes;
      totals.changes += perRound;
      spread.push({ agent: agentMs / perRound, apiserver: apiserverMs / Math.max(1, writes) });
    }
    const loadAfter = loadavg()[0] as number;
    client.close();
    if (errors.length > 0) throw new Error(`report writes failed: ${errors.slice(0, 3).join('; ')}`);
    console.log(`\nreport sink cost: ${live.size} objects, ${findings.size} findings; the first judgement's reports: ${initial.writes} writes, ${(initial.cpu / 1000).toFixed(2)} s of this process's CPU`);
    console.log(`${totals.changes} in-place Deployment changes, each written before the next: ${totals.writes} writes`);
    console.log(`sink CPU (this process) ${(totals.agentMs / totals.changes).toFixed(2)} ms a change (rounds ${spread.map((round) => round.agent.toFixed(2)).join(' ')})`);
    console.log(`API server CPU ${(totals.apiserverMs / totals.writes).toFixed(2)} ms a write (rounds ${spread.map((round) => round.apiserver.toFixed(2)).join(' ')}), etcd ${(totals.etcdMs / totals.writes).toFixed(2)} ms`);
    console.log(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores)`);
  });
}
