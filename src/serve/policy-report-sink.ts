/**
 * Keeps the cluster's policy reports equal to the live findings, in one of the two APIs `--format policyreport`
 * renders: `wgpolicyk8s.io/v1alpha2` (PolicyReport, ClusterPolicyReport: Kyverno's) or `openreports.io/v1alpha1`
 * (Report, ClusterReport: OpenReports, their successor). One report per namespace with findings and one cluster
 * report, rendered by the same code as `--format policyreport`. The sink keeps the findings per namespace, and
 * after each batch renders only the namespaces whose findings changed (all of them when the run's verdict, which
 * every object carries, changed), writes only the objects whose results changed (one PUT with the resourceVersion
 * it last saw), and deletes the objects of namespaces without findings any more, including ones an earlier run left
 * (found by their managed-by label at the start).
 */
import { createHash } from 'node:crypto';
import type { ApiClient } from '../cluster/api-client.js';
import { parseObject } from '../cluster/lister.js';
import { FindingStore } from '../engine/finding-store.js';
import type { KubeVersion } from '../kube/version.js';
import type { Scores } from '../engine/scores.js';
import { policyReportDocuments, REPORT_SOURCE, reportNamespace, type PolicyReportApi, type PolicyReportDocument } from '../report/policy-report.js';
import { atOrAbove, buildReport, verdict, type Summary, type VerdictStatus } from '../report/report.js';
import type { Finding } from '../vocabulary/finding.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
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
  /** A write that failed (it is tried again after the next batch). */
  readonly onError?: (error: Error) => void;
}

/** `namespace/name` of a report object ("" namespace for the cluster report). */
type ReportKey = string;

/** What is known of one written report object. */
interface Written {
  /** A digest of the object, timestamps left out, to skip writes that change nothing (not the JSON: too big to keep). */
  digest: string | undefined;
  /** Its resourceVersion as the API server last answered: a write is then one PUT. */
  resourceVersion: string | undefined;
}

export class PolicyReportSink implements Sink {
  /** The current findings per report namespace ("" for the cluster report), kept from the batches' changes. */
  private readonly findings = new Map<string, Map<string, Finding>>();
  /** Namespaces whose findings changed since their objects were last written. */
  private readonly dirty = new Set<string>();
  /** Open findings per severity over the whole cluster: every object carries the run's verdict. */
  private readonly open = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  private lastVerdict: VerdictStatus | undefined;
  private scores: Scores | undefined;
  private at = new Date();
  /** The objects written per namespace, and the ones found at the start (digest unknown), by key. */
  private readonly written = new Map<string, Map<ReportKey, Written>>();
  private listed = false;
  private running = false;
  private writing: Promise<void> = Promise.resolve();
  /** When the oldest change not yet written came (performance.now()). */
  private pendingSince: number | undefined;
  /** Per round of writes, from the oldest batch it wrote to its end, ms, newest last; bounded. */
  readonly reportLatencies: number[] = [];
  /** Writes made (for tests and metrics). */
  writes = 0;
  /** Objects rendered (for tests): an unchanged namespace is not rendered again. */
  rendered = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly options: PolicyReportSinkOptions,
  ) {}

  /**
   * Takes the batch's changes and returns: the objects are written in the background, latest state first, so a slow
   * API server delays the reports but not the next batch (judgement, history, metrics). Batches that come while a
   * write is under way are coalesced into the next round of writes.
   */
  settled(event: Settled): Promise<void> {
    const dirtyBefore = this.dirty.size;
    if (event.initial) {
      this.findings.clear();
      for (const severity of SEVERITIES) this.open[severity] = 0;
      for (const finding of event.findings.values()) this.count(finding, 1);
      for (const [key, finding] of event.findings) this.namespaceFindings(finding).set(key, finding);
      // Every namespace with findings and the cluster report (and, once listed, every namespace with objects from before).
      this.dirty.add('');
      for (const namespace of [...this.findings.keys(), ...this.written.keys()]) this.dirty.add(namespace);
    } else {
      for (const [key, finding] of event.removed) {
        const namespace = reportNamespace(finding) ?? '';
        if (this.findings.get(namespace)?.delete(key)) this.count(finding, -1);
        this.dirty.add(namespace);
      }
      for (const key of event.added) {
        const finding = event.findings.get(key);
        if (finding === undefined) continue;
        this.namespaceFindings(finding).set(key, finding);
        this.count(finding, 1);
        this.dirty.add(reportNamespace(finding) ?? '');
      }
      for (const key of event.changed) {
        const finding = event.findings.get(key);
        if (finding === undefined) continue;
        // The same key and severity, so the counts stand; the namespace's objects show the new details.
        this.namespaceFindings(finding).set(key, finding);
        this.dirty.add(reportNamespace(finding) ?? '');
      }
      if (event.added.length === 0 && event.removed.length === 0 && event.changed.length === 0 && dirtyBefore === this.dirty.size) return Promise.resolve();
    }
    this.scores = event.scores;
    this.at = event.at;
    this.pendingSince ??= performance.now();
    if (!this.running) {
      this.running = true;
      this.writing = this.drain();
    }
    return Promise.resolve();
  }

  /** Resolves once everything handed to the sink was written (or failed): shutdown and tests wait for it. */
  async idle(): Promise<void> {
    while (this.running) await this.writing;
  }

  /** Writes until no namespace is left to write; what failed is retried after the next batch. */
  private async drain(): Promise<void> {
    // `running` is cleared in the same turn as the loop finds nothing left, so a batch after that starts a new drain.
    try {
      if (!this.listed) {
        await this.findExisting();
        this.listed = true;
        for (const namespace of this.written.keys()) this.dirty.add(namespace);
      }
      const failed = new Set<string>();
      while (this.dirty.size > 0) {
        // A round writes what came before it; what comes during it waits for the next round.
        const since = this.pendingSince;
        this.pendingSince = undefined;
        const failures = failed.size;
        await this.flush(failed);
        if (since !== undefined && failed.size === failures) {
          this.reportLatencies.push(performance.now() - since);
          if (this.reportLatencies.length > 10_000) this.reportLatencies.splice(0, this.reportLatencies.length - 10_000);
        }
      }
      for (const namespace of failed) this.dirty.add(namespace);
    } catch (error) {
      this.options.onError?.(error as Error);
    } finally {
      this.running = false;
    }
  }

  /** Writes the objects of every namespace whose findings changed. */
  private async flush(failed: Set<string>): Promise<void> {
    const scores = this.scores;
    if (scores === undefined) return;
    const status = verdict({
      summary: { failOn: FAIL_ON, failing: SEVERITIES.filter((severity) => atOrAbove(severity, FAIL_ON)).reduce((sum, severity) => sum + this.open[severity], 0), open: SEVERITIES.reduce((sum, severity) => sum + this.open[severity], 0), bySeverity: this.open } as Summary,
      errors: [],
    }).status;
    // The verdict is on every object: when it changes, every object changes.
    if (this.lastVerdict !== undefined && status !== this.lastVerdict) for (const namespace of [...this.findings.keys(), ...this.written.keys()]) this.dirty.add(namespace);
    this.lastVerdict = status;
    const namespaces = [...this.dirty].sort();
    this.dirty.clear();
    for (const namespace of namespaces) {
      try {
        await this.writeNamespace(namespace, scores, status);
      } catch (error) {
        failed.add(namespace);
        this.options.onError?.(error as Error);
      }
    }
  }

  private async writeNamespace(namespace: string, scores: Scores, status: VerdictStatus): Promise<void> {
    const findings = this.findings.get(namespace);
    const documents: PolicyReportDocument[] = [];
    // The cluster report is always there, even empty; a namespace has objects only while it has findings.
    if (namespace === '' || (findings !== undefined && findings.size > 0)) {
      const store = new FindingStore();
      try {
        for (const finding of findings?.values() ?? []) store.add(finding);
        const report = buildReport(
          { store, errors: [], stats: { inputs: 0, resources: 0, podTemplates: 0 }, scores, exceptions: [], selection: { active: [], skipped: [] } },
          { framework: 'all', version: this.options.version, failOn: FAIL_ON, target: { kind: 'cluster', name: this.options.cluster } },
        );
        // Rendered by `--format policyreport`'s code; a namespace's findings alone also render an empty cluster report.
        for (const document of policyReportDocuments(report, { api: this.options.api, now: this.at, verdict: status })) {
          if ((document.metadata.namespace ?? '') === namespace) documents.push(document);
        }
      } finally {
        store.close();
      }
    }
    if (findings !== undefined && findings.size === 0) this.findings.delete(namespace);
    this.rendered += documents.length;
    let written = this.written.get(namespace);
    if (!written) this.written.set(namespace, (written = new Map()));
    const keep = new Set<ReportKey>();
    for (const document of documents) {
      const key = `${namespace}/${document.metadata.name}`;
      keep.add(key);
      const comparable = createHash('sha256').update(JSON.stringify({ ...document, results: document.results.map(({ timestamp: _, ...rest }) => rest) })).digest('base64');
      const known = written.get(key);
      if (known?.digest === comparable) continue;
      const resourceVersion = await this.put(document, known?.resourceVersion);
      written.set(key, { digest: comparable, resourceVersion });
    }
    for (const key of [...written.keys()]) {
      if (keep.has(key)) continue;
      await this.remove(key);
      written.delete(key);
    }
    if (written.size === 0) this.written.delete(namespace);
  }

  private namespaceFindings(finding: Finding): Map<string, Finding> {
    const namespace = reportNamespace(finding) ?? '';
    let findings = this.findings.get(namespace);
    if (!findings) this.findings.set(namespace, (findings = new Map()));
    return findings;
  }

  private count(finding: Finding, by: 1 | -1): void {
    if (!finding.suppression) this.open[finding.severity] += by;
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
        const namespace = namespaced ? String(metadata['namespace']) : '';
        let written = this.written.get(namespace);
        if (!written) this.written.set(namespace, (written = new Map()));
        const key = `${namespace}/${String(metadata['name'])}`;
        if (!written.has(key)) written.set(key, { digest: undefined, resourceVersion: typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : undefined });
      }
    }
  }

  private path(namespace: string, name?: string): string {
    const { api } = this.options;
    const resources = REPORT_RESOURCES[api];
    const base = namespace === '' ? `/apis/${api}/${resources.cluster}` : `/apis/${api}/namespaces/${encodeURIComponent(namespace)}/${resources.namespaced}`;
    return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
  }

  /**
   * Writes an object and returns its new resourceVersion. With the version last seen, one PUT; without it, or when
   * the object is gone, a POST; on a conflict (someone else changed it), the current version is read and the PUT
   * made again. (Server-side apply would need a field manager per object; PUT is enough.)
   */
  private async put(document: PolicyReportDocument, resourceVersion: string | undefined): Promise<string | undefined> {
    const namespace = document.metadata.namespace ?? '';
    const where = `${document.kind} ${namespace}/${document.metadata.name}`;
    const path = this.path(namespace, document.metadata.name);
    const replace = async (version: string | undefined) => {
      this.writes++;
      return this.client.write('PUT', path, { ...document, metadata: { ...document.metadata, resourceVersion: version } });
    };
    let response = resourceVersion === undefined ? undefined : await replace(resourceVersion);
    if (response === undefined || response.status === 404) {
      this.writes++;
      response = await this.client.write('POST', this.path(namespace), document);
      if (response.status === 201) return versionOf(response.body);
      if (response.status !== 409) throw new Error(`creating ${where}: HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
    }
    if (response.status === 409) {
      const current = await this.client.get(path);
      if (current.status !== 200) throw new Error(`reading ${where}: HTTP ${current.status}`);
      response = await replace(versionOf(current.body));
    }
    if (response.status !== 200) throw new Error(`replacing ${where}: HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
    return versionOf(response.body);
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

/** `failOn` of the report the sink renders (the verdict every object carries). */
const FAIL_ON = 'high';

function versionOf(body: Buffer): string | undefined {
  const metadata = parseObject(body)?.['metadata'];
  const version = isRecord(metadata) ? metadata['resourceVersion'] : undefined;
  return typeof version === 'string' ? version : undefined;
}
