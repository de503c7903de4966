/**
 * What one PolicyReport write costs the API server (`--report-write-cost`), per report shape and request form, on
 * the test API server (the harness's kube-apiserver and etcd, Kyverno's PolicyReport CRDs): the per-resource
 * reports of the serve bench's Deployments (bench/cluster.ts's objects judged by a LiveCluster, 100 Deployments a
 * namespace), each variant writing its own copies in its own namespace, eight writes in flight as the sink keeps
 * them, while one watch on the report kind reads every event (the serve bench's, or Policy Reporter's). Every
 * write carries new timestamps, so each is a real update stored in etcd. The variants alternate in rounds
 * (`--report-write-rounds`, 3), each round writing every report of every variant once, so load that comes and goes
 * falls on all of them; the figures are API server and etcd CPU (/proc) per write over all rounds, with the
 * rounds' spread, the request body's size and the median wall time.
 *
 * Shapes (each written with PUT and the resourceVersion last seen, as the sink writes):
 * - `with-resources`: results naming their resource (`resources: [{…, fieldPath}]`), as `--format policyreport`
 *   renders every result and the sink wrote them before per-resource reports dropped it;
 * - `scoped`: without per-result `resources` (the report's `scope` names the resource): what the sink writes now;
 * - `no-catalog`: also without the properties every result of a control repeats from the catalog (title,
 *   remediation, nsaSection, pssLevel, pssCheck): what dropping them would save.
 * Request forms (the `scoped` shape): `merge-patch` (PATCH application/merge-patch+json of annotations, summary and
 * results, no resourceVersion) and `apply` (server-side apply, fieldManager kubeharden, force).
 *
 *   node --expose-gc dist/bench/run.js --report-write-cost [--report-write-namespaces 4 --report-write-rounds 3]
 */
import { loadavg } from 'node:os';
import { ApiClient } from '../src/cluster/api-client.js';
import { LISTED_KINDS, type ListedKind } from '../src/cluster/resource-kinds.js';
import { FindingStore } from '../src/engine/finding-store.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { parseKubeVersion } from '../src/kube/version.js';
import { policyReportDocuments, type PolicyReportResult } from '../src/report/policy-report.js';
import { buildReport } from '../src/report/report.js';
import { LiveCluster } from '../src/serve/live-cluster.js';
import { scopedDocument, type ScopedDocument } from '../src/serve/resource-report.js';
import type { Finding } from '../src/vocabulary/finding.js';
import { processCpuMs } from './child-cpu.js';
import { MIX, objectFor } from './cluster.js';
import { withReportCluster } from './report-sink-cost.js';

const API = 'wgpolicyk8s.io/v1alpha2';
const VERSION = parseKubeVersion('v1.37.2');
/** Writes in flight at once, as the sink's writers keep them. */
const IN_FLIGHT = 8;
/** The properties each result of a control repeats from the catalog. */
const CATALOG_PROPERTIES = ['title', 'remediation', 'nsaSection', 'pssLevel', 'pssCheck'];
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

type Form = 'put' | 'merge-patch' | 'apply';

interface Variant {
  readonly name: string;
  readonly form: Form;
  readonly shape: (result: PolicyReportResult) => PolicyReportResult;
}

const withResources = (result: PolicyReportResult) => result;
const scoped = ({ resources: _, ...result }: PolicyReportResult) => result as PolicyReportResult;
const noCatalog = (result: PolicyReportResult) => {
  const kept = scoped(result);
  return { ...kept, properties: Object.fromEntries(Object.entries(kept.properties).filter(([key]) => !CATALOG_PROPERTIES.includes(key))) };
};

const VARIANTS: readonly Variant[] = [
  { name: 'with-resources', form: 'put', shape: withResources },
  { name: 'scoped', form: 'put', shape: scoped },
  { name: 'no-catalog', form: 'put', shape: noCatalog },
  { name: 'scoped, merge-patch', form: 'merge-patch', shape: scoped },
  { name: 'scoped, apply', form: 'apply', shape: scoped },
];

/** Each Deployment's report as `--format policyreport` renders its findings, scoped to it (results with resources). */
function deploymentReports(namespaces: number): ScopedDocument[] {
  const kinds = new Map(LISTED_KINDS.map((kind) => [kind.plural, kind]));
  const kind = (plural: string) => kinds.get(plural) as ListedKind;
  const live = new LiveCluster({ scanOptions: { framework: 'nsa', version: VERSION, templatePaths: new TemplatePaths() }, serverName: 'bench' });
  let version = 0;
  for (let n = 0; n < namespaces; n++) {
    live.upsert(kind('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${n}`, resourceVersion: String(++version) } });
    for (const { plural, count } of MIX) {
      for (let index = 0; index < count; index++) {
        const object = objectFor(plural, `bench-${n}`, index) as { metadata: Record<string, unknown> };
        live.upsert(kind(plural), { ...object, metadata: { ...object.metadata, resourceVersion: String(++version), uid: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}` } });
      }
    }
  }
  live.start();
  live.settle();
  const scores = live.scores();
  const byDeployment = new Map<string, Finding[]>();
  for (const finding of live.findings()) {
    if (finding.resource.kind !== 'Deployment') continue;
    const key = `${finding.resource.namespace}/${finding.resource.name}`;
    byDeployment.set(key, [...(byDeployment.get(key) ?? []), finding]);
  }
  const reports: ScopedDocument[] = [];
  for (const findings of byDeployment.values()) {
    const store = new FindingStore();
    for (const finding of findings) store.add(finding);
    const report = buildReport({ store, errors: [], stats: { inputs: 0, resources: 0, podTemplates: 0 }, scores, exceptions: [], selection: { active: [], skipped: [] } }, { framework: 'all', version: VERSION, failOn: 'high', target: { kind: 'cluster', name: 'bench' } });
    const resource = findings[0]!.resource;
    // A namespace's findings alone also render an empty cluster report: the resource's own objects are kept.
    for (const document of policyReportDocuments(report, { api: API })) if (document.metadata.namespace === resource.namespace) reports.push(scopedDocument(document, resource, live.uidOf('Deployment', resource.namespace, resource.name ?? '')));
    store.close();
  }
  return reports;
}

/** The variant's copy of a report, in its namespace, with new timestamps. */
function copyOf(report: ScopedDocument, variant: Variant, namespace: string): ScopedDocument {
  const millis = Date.now();
  const timestamp = { seconds: Math.floor(millis / 1000), nanos: (millis % 1000) * 1_000_000 };
  return { ...report, metadata: { ...report.metadata, namespace }, ...(report.scope ? { scope: { ...report.scope, namespace } } : {}), results: report.results.map((result) => variant.shape({ ...result, timestamp })) };
}

interface Measured {
  apiserverMs: number;
  etcdMs: number;
  writes: number;
  bytes: number;
  walls: number[];
  rounds: number[];
}

export async function benchReportWriteCost(namespaces: number, rounds: number): Promise<void> {
  await withReportCluster('report write cost', async (cluster) => {
    const reports = deploymentReports(namespaces);
    const client = await ApiClient.connect({ kubeconfig: cluster.adminKubeconfig, timeoutMs: 30_000, concurrency: IN_FLIGHT });
    const watch = await client.stream(`/apis/${API}/policyreports?watch=1`);
    let events = 0;
    watch.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) events++;
    });
    const namespaceOf = (index: number) => `report-cost-${index}`;
    const versions = VARIANTS.map(() => new Map<string, string>());
    const measured: Measured[] = VARIANTS.map(() => ({ apiserverMs: 0, etcdMs: 0, writes: 0, bytes: 0, walls: [], rounds: [] }));
    for (const [index] of VARIANTS.entries()) await cluster.createNamespace(namespaceOf(index));

    /** Writes every report in the variant's form, IN_FLIGHT at a time (the first time: creates them). */
    const writeAll = async (index: number, measure: Measured | undefined) => {
      const variant = VARIANTS[index] as Variant;
      const namespace = namespaceOf(index);
      const base = `/apis/${API}/namespaces/${namespace}/policyreports`;
      let next = 0;
      const one = async (report: ScopedDocument) => {
        const document = copyOf(report, variant, namespace);
        const name = document.metadata.name;
        const version = versions[index]!.get(name);
        let method: 'POST' | 'PUT' | 'PATCH' = 'PUT';
        let path = `${base}/${name}`;
        let contentType = 'application/json';
        let body: unknown = { ...document, metadata: { ...document.metadata, resourceVersion: version } };
        if (version === undefined) {
          method = 'POST';
          path = base;
          body = document;
        } else if (variant.form === 'merge-patch') {
          method = 'PATCH';
          contentType = 'application/merge-patch+json';
          body = { metadata: { annotations: document.metadata.annotations }, summary: document.summary, results: document.results };
        } else if (variant.form === 'apply') {
          method = 'PATCH';
          path = `${base}/${name}?fieldManager=kubeharden&force=true`;
          contentType = 'application/apply-patch+yaml';
          body = document;
        }
        const payload = Buffer.from(JSON.stringify(body));
        const started = performance.now();
        const response = await client.write(method, path, payload, contentType, METADATA_ONLY);
        if (response.status !== 200 && response.status !== 201) throw new Error(`${method} ${path}: HTTP ${response.status} ${response.body.toString('utf8').slice(0, 300)}`);
        const metadata = (JSON.parse(response.body.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata;
        versions[index]!.set(name, metadata.resourceVersion);
        if (measure) {
          measure.walls.push(performance.now() - started);
          measure.bytes += payload.length;
          measure.writes++;
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < reports.length) await one(reports[next++] as ScopedDocument);
      }));
    };

    // Created, then written once more unmeasured: every object exists and every form has warmed up.
    for (const [index] of VARIANTS.entries()) {
      await writeAll(index, undefined);
      await writeAll(index, undefined);
    }
    const loadBefore = loadavg()[0] as number;
    for (let round = 0; round < rounds; round++) {
      for (const [index, measure] of measured.entries()) {
        const apiserver = processCpuMs(cluster.pids.apiserver) ?? Number.NaN;
        const etcd = processCpuMs(cluster.pids.etcd) ?? Number.NaN;
        const writes = measure.writes;
        await writeAll(index, measure);
        const apiserverMs = (processCpuMs(cluster.pids.apiserver) ?? Number.NaN) - apiserver;
        measure.apiserverMs += apiserverMs;
        measure.etcdMs += (processCpuMs(cluster.pids.etcd) ?? Number.NaN) - etcd;
        measure.rounds.push(apiserverMs / (measure.writes - writes));
      }
    }
    const loadAfter = loadavg()[0] as number;
    watch.destroy();
    client.close();
    const results = reports.reduce((sum, report) => sum + report.results.length, 0);
    console.log(`\nreport write cost: ${reports.length} Deployment reports (${(results / reports.length).toFixed(1)} results each) per variant, ${rounds} rounds, ${IN_FLIGHT} writes in flight, one watch (${events} events read)`);
    console.log('variant               bytes/write  API server CPU ms/write (rounds)         etcd CPU ms/write  wall p50 ms');
    for (const [index, measure] of measured.entries()) {
      const walls = [...measure.walls].sort((a, b) => a - b);
      const spread = measure.rounds.map((value) => value.toFixed(2)).join(' ');
      console.log(
        [
          (VARIANTS[index] as Variant).name.padEnd(21),
          String(Math.round(measure.bytes / measure.writes)).padEnd(12),
          `${(measure.apiserverMs / measure.writes).toFixed(2)} (${spread})`.padEnd(40),
          (measure.etcdMs / measure.writes).toFixed(2).padEnd(18),
          (walls[Math.floor(walls.length / 2)] ?? Number.NaN).toFixed(1),
        ].join(' '),
      );
    }
    console.log(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores)`);
  });
}
