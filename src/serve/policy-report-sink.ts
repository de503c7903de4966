/**
 * Keeps the cluster's policy reports equal to the live findings, in one of the two APIs `--format policyreport`
 * renders: `wgpolicyk8s.io/v1alpha2` (PolicyReport, ClusterPolicyReport: Kyverno's) or `openreports.io/v1alpha1`
 * (Report, ClusterReport: OpenReports, their successor). One report per namespace with findings and one cluster
 * report, rendered by the same code as `--format policyreport`. After each batch
 * only the objects whose results changed are written; reports of namespaces without findings any more are
 * deleted, including ones an earlier run left (found by their managed-by label at the start).
 */
import { createHash } from 'node:crypto';
import type { ApiClient } from '../cluster/api-client.js';
import { parseObject } from '../cluster/lister.js';
import { FindingStore } from '../engine/finding-store.js';
import type { KubeVersion } from '../kube/version.js';
import { policyReportDocuments, REPORT_SOURCE, type PolicyReportApi, type PolicyReportDocument } from '../report/policy-report.js';
import { buildReport } from '../report/report.js';
import { isRecord } from '../util/object.js';
import type { Settled, Sink } from './agent.js';

/** The resources (plurals) of each API's namespaced and cluster report kinds. */
export const REPORT_RESOURCES: Record<PolicyReportApi, { readonly namespaced: string; readonly cluster: string }> = {
  'wgpolicyk8s.io/v1alpha2': { namespaced: 'policyreports', cluster: 'clusterpolicyreports' },
  'openreports.io/v1alpha1': { namespaced: 'reports', cluster: 'clusterreports' },
};

const SELECTOR = `app.kubernetes.io%2Fmanaged-by%3D${REPORT_SOURCE}`;

export interface PolicyReportSinkOptions {
  readonly cluster: string;
  readonly version: KubeVersion;
  readonly api: PolicyReportApi;
}

/** `namespace/name` of a report object ("" namespace for the cluster report). */
type ReportKey = string;

export class PolicyReportSink implements Sink {
  /**
   * A digest of what was last written per object, timestamps left out, to skip writes that change nothing. Not the
   * JSON itself: that kept a copy of every report (every finding's result) alive between batches.
   */
  private readonly written = new Map<ReportKey, string>();
  /** Reports written since an agent or kubeharden started, found at the start; deleted when not rendered again. */
  private readonly existing = new Set<ReportKey>();
  /** Writes made (for tests and metrics). */
  writes = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly options: PolicyReportSinkOptions,
  ) {}

  async settled(event: Settled): Promise<void> {
    if (event.initial) await this.findExisting();
    else if (event.added.length === 0 && event.removed.length === 0) return;
    const store = new FindingStore();
    for (const finding of event.findings.values()) store.add(finding);
    const report = buildReport(
      { store, errors: [], stats: { inputs: 0, resources: 0, podTemplates: 0 }, scores: event.scores, exceptions: [], selection: { active: [], skipped: [] } },
      { framework: 'all', version: this.options.version, failOn: 'high', target: { kind: 'cluster', name: this.options.cluster } },
    );
    const rendered = new Map<ReportKey, PolicyReportDocument>();
    for (const document of policyReportDocuments(report, { api: this.options.api, now: event.at })) rendered.set(`${document.metadata.namespace ?? ''}/${document.metadata.name}`, document);
    store.close();
    for (const [key, document] of rendered) {
      const comparable = createHash('sha256').update(JSON.stringify({ ...document, results: document.results.map(({ timestamp: _, ...rest }) => rest) })).digest('base64');
      if (this.written.get(key) === comparable) continue;
      await this.put(document);
      this.written.set(key, comparable);
      this.existing.delete(key);
    }
    for (const key of [...this.written.keys(), ...this.existing]) {
      if (rendered.has(key)) continue;
      await this.remove(key);
      this.written.delete(key);
      this.existing.delete(key);
    }
  }

  private async findExisting(): Promise<void> {
    const { api } = this.options;
    const resources = REPORT_RESOURCES[api];
    for (const [plural, namespaced] of [[resources.cluster, false], [resources.namespaced, true]] as const) {
      const response = await this.client.get(`/apis/${api}/${plural}?labelSelector=${SELECTOR}`);
      if (response.status !== 200) throw new Error(`listing ${plural}: HTTP ${response.status}`);
      const items = parseObject(response.body)?.['items'];
      for (const item of Array.isArray(items) ? items.filter(isRecord) : []) {
        const metadata = isRecord(item['metadata']) ? item['metadata'] : {};
        this.existing.add(`${namespaced ? String(metadata['namespace']) : ''}/${String(metadata['name'])}`);
      }
    }
  }

  private path(namespace: string, name?: string): string {
    const { api } = this.options;
    const resources = REPORT_RESOURCES[api];
    const base = namespace === '' ? `/apis/${api}/${resources.cluster}` : `/apis/${api}/namespaces/${encodeURIComponent(namespace)}/${resources.namespaced}`;
    return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
  }

  /** Create, or replace what is there (server-side apply would need a field manager per object; PUT is enough). */
  private async put(document: PolicyReportDocument): Promise<void> {
    const namespace = document.metadata.namespace ?? '';
    this.writes++;
    const created = await this.client.write('POST', this.path(namespace), document);
    if (created.status === 201) return;
    if (created.status !== 409) throw new Error(`creating ${document.kind} ${namespace}/${document.metadata.name}: HTTP ${created.status}: ${created.body.toString('utf8').slice(0, 200)}`);
    const current = await this.client.get(this.path(namespace, document.metadata.name));
    const resourceVersion = parseObject(current.body)?.['metadata'];
    const replaced = await this.client.write('PUT', this.path(namespace, document.metadata.name), { ...document, metadata: { ...document.metadata, resourceVersion: isRecord(resourceVersion) ? resourceVersion['resourceVersion'] : undefined } });
    if (replaced.status !== 200) throw new Error(`replacing ${document.kind} ${namespace}/${document.metadata.name}: HTTP ${replaced.status}: ${replaced.body.toString('utf8').slice(0, 200)}`);
  }

  private async remove(key: ReportKey): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    this.writes++;
    const deleted = await this.client.write('DELETE', this.path(namespace, name), undefined);
    if (deleted.status !== 200 && deleted.status !== 202 && deleted.status !== 404) throw new Error(`deleting report ${key}: HTTP ${deleted.status}`);
  }
}
