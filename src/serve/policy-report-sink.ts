/**
 * Keeps the cluster's policy reports equal to the live findings, in one of the two APIs `--format policyreport`
 * renders: `wgpolicyk8s.io/v1alpha2` (PolicyReport, ClusterPolicyReport: Kyverno's) or `openreports.io/v1alpha1`
 * (Report, ClusterReport: OpenReports, their successor), rendered by the same code as `--format policyreport`.
 *
 * Two layouts (`--report-scope`):
 * - `resource` (the default): one report per resource with findings, in the resource's namespace (a cluster report
 *   for a cluster-scoped resource), named `kubeharden-<uid>`, with `scope` set to the resource and an ownerReference
 *   to it, so Kubernetes' garbage collector removes the report with the resource. This is Kyverno's layout since
 *   1.11, and what Policy Reporter and the OpenReports tools read. A change writes one small object (a few KB): at
 *   10,000 objects a namespace's report is 0.5–1 MB and one PUT of it takes ~0.5 s, so per-namespace reports ran
 *   more than a minute behind the findings.
 * - `namespace`: one report per namespace with findings and one cluster report, exactly `--format policyreport`'s
 *   objects.
 *
 * The sink keeps the findings per report group (a resource, or a namespace), and after each batch renders only the
 * groups whose findings changed (all of them when the run's verdict, which every object carries, changed), writes
 * only the objects whose results changed (one PUT with the resourceVersion it last saw), and deletes the objects of
 * groups without findings any more, including ones an earlier run left (found by their managed-by label at the
 * start: a report of the other layout, or of a resource gone while the agent was away, is stale). A report an
 * earlier run left that the first judgement renders again unchanged is not written again, so a restart costs the
 * API server one list, not a write per resource. A write asks back the object's metadata alone.
 */
import type { ApiClient } from '../cluster/api-client.js';
import { parseObject } from '../cluster/lister.js';
import { FindingStore } from '../engine/finding-store.js';
import { formatVersion, type KubeVersion } from '../kube/version.js';
import type { Scores } from '../engine/scores.js';
import { controlSections, policyReportDocuments, REPORT_SOURCE, reportNamespace, type PolicyReportApi } from '../report/policy-report.js';
import { buildReport, countsVerdict, type VerdictStatus } from '../report/report.js';
import { TOOL_VERSION } from '../version.js';
import type { Finding, ResourceRef } from '../vocabulary/finding.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
import { isRecord } from '../util/object.js';
import type { Settled, Sink } from './agent.js';
import type { ReportScope } from './report-choice.js';
import { listedDigest, renderedDocument, renderResourceReports, type RenderedReport } from './resource-report.js';

/** The resources (plurals) of each API's namespaced and cluster report kinds. */
export const REPORT_RESOURCES: Record<PolicyReportApi, { readonly namespaced: string; readonly cluster: string }> = {
  'wgpolicyk8s.io/v1alpha2': { namespaced: 'policyreports', cluster: 'clusterpolicyreports' },
  'openreports.io/v1alpha1': { namespaced: 'reports', cluster: 'clusterreports' },
};

/** What selects kubeharden's reports (every layout): `kubectl get policyreports -A -l app.kubernetes.io/managed-by=kubeharden`. */
export const MANAGED_BY_SELECTOR = `app.kubernetes.io/managed-by=${REPORT_SOURCE}`;
export { RESOURCE_UID_LABEL } from './resource-report.js';

export interface PolicyReportSinkOptions {
  readonly cluster: string;
  readonly version: KubeVersion;
  readonly api: PolicyReportApi;
  /** One report per resource (default) or per namespace. */
  readonly scope?: ReportScope;
  /** The uid of a watched object, for a per-resource report's name, scope and ownerReference; undefined when not held. */
  readonly uidOf?: (resource: ResourceRef) => string | undefined;
  /** A write that failed (it is tried again after the next batch). */
  readonly onError?: (error: Error) => void;
}

/**
 * A report group: the objects rendered from one set of findings. Per namespace: the namespace ("" for the cluster
 * report). Per resource: `<namespace>\0<apiVersion>\0<kind>\0<name>` ("" namespace for a cluster-scoped one); a
 * report found at the start that names no resource is its own group, `\0stale\0<namespace>/<name>`, and is deleted.
 */
type Group = string;

/** `namespace/name` of a report object ("" namespace for a cluster report). */
type ReportKey = string;

/** What is known of one written report object. */
interface Written {
  /**
   * A digest of the object, timestamps left out, to skip writes that change nothing (not the JSON: too big to keep):
   * a rendered object's (`RenderedReport.digest`), or, for one an earlier run left, its `listedDigest`.
   */
  digest: string | undefined;
  /** The digest is the listed object's: compared with the rendered object's `listedDigest`. */
  listed: boolean;
  /** Its resourceVersion as the API server last answered: a write is then one PUT. */
  resourceVersion: string | undefined;
}

export class PolicyReportSink implements Sink {
  private readonly scope: ReportScope;
  /** The current findings per report group, kept from the batches' changes. */
  private readonly findings = new Map<Group, Map<string, Finding>>();
  /** Groups whose findings changed since their objects were last written. */
  private readonly dirty = new Set<Group>();
  /**
   * The dirty groups a live change touched: written before the rest, so a change is not queued behind the
   * thousands of objects of the first judgement (or a verdict change) still being written.
   */
  private readonly urgent = new Set<Group>();
  /** Groups a writer is writing now. */
  private readonly inFlight = new Set<Group>();
  /** Writers of this round waiting for a group to take (see `flush`). */
  private idleWriters: (() => void)[] = [];
  /** Open findings per severity over the whole cluster: every object carries the run's verdict. */
  private readonly open = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  private lastVerdict: VerdictStatus | undefined;
  private scores: Scores | undefined;
  private at = new Date();
  /** The scored controls' sections, computed once per scores. */
  private sections: { scores: Scores; sections: Map<string, string> } | undefined;
  /** The objects written per group, and the ones found at the start (digest of their content as listed), by key. */
  private readonly written = new Map<Group, Map<ReportKey, Written>>();
  private listed = false;
  private running = false;
  private writing: Promise<void> = Promise.resolve();
  /** When the oldest change not yet written came (performance.now()). */
  private pendingSince: number | undefined;
  /** Per round of writes, from the oldest batch it wrote to its end, ms, newest last; bounded. */
  readonly reportLatencies: number[] = [];
  /** Writes made (for tests and metrics). */
  writes = 0;
  /** Objects rendered (for tests): an unchanged group is not rendered again. */
  rendered = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly options: PolicyReportSinkOptions,
  ) {
    this.scope = options.scope ?? 'resource';
  }

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
      for (const [key, finding] of event.findings) this.groupFindings(finding).set(key, finding);
      // Every group with findings, the cluster report of the namespace layout, and, once listed, every group with objects from before.
      if (this.scope === 'namespace') this.dirty.add('');
      for (const group of [...this.findings.keys(), ...this.written.keys()]) this.dirty.add(group);
    } else {
      for (const [key, finding] of event.removed) {
        const group = this.groupOf(finding);
        if (this.findings.get(group)?.delete(key)) this.count(finding, -1);
        this.changedLive(group);
      }
      for (const key of event.added) {
        const finding = event.findings.get(key);
        if (finding === undefined) continue;
        this.groupFindings(finding).set(key, finding);
        this.count(finding, 1);
        this.changedLive(this.groupOf(finding));
      }
      for (const key of event.changed) {
        const finding = event.findings.get(key);
        if (finding === undefined) continue;
        // The same key and severity, so the counts stand; the group's objects show the new details.
        this.groupFindings(finding).set(key, finding);
        this.changedLive(this.groupOf(finding));
      }
      if (event.added.length === 0 && event.removed.length === 0 && event.changed.length === 0 && dirtyBefore === this.dirty.size) return Promise.resolve();
    }
    this.scores = event.scores;
    this.at = event.at;
    this.pendingSince ??= performance.now();
    if (!this.running) {
      this.running = true;
      this.writing = this.drain();
    } else this.wakeWriters();
    return Promise.resolve();
  }

  private changedLive(group: Group): void {
    this.dirty.add(group);
    this.urgent.add(group);
  }

  /** Resolves once everything handed to the sink was written (or failed): shutdown and tests wait for it. */
  async idle(): Promise<void> {
    while (this.running) await this.writing;
  }

  /** Writes until no group is left to write; what failed is retried after the next batch. */
  private async drain(): Promise<void> {
    // `running` is cleared in the same turn as the loop finds nothing left, so a batch after that starts a new drain.
    try {
      if (!this.listed) {
        await this.findExisting();
        this.listed = true;
        for (const group of this.written.keys()) this.dirty.add(group);
      }
      const failed = new Set<Group>();
      // Groups being written stay out of the writers' reach; one that changed meanwhile is written again after. The
      // writers end only once nothing is left to write.
      await this.flush(failed);
      // Caught up: from the oldest change not written to now.
      if (this.pendingSince !== undefined && failed.size === 0) {
        this.reportLatencies.push(performance.now() - this.pendingSince);
        if (this.reportLatencies.length > 10_000) this.reportLatencies.splice(0, this.reportLatencies.length - 10_000);
      }
      this.pendingSince = undefined;
      for (const group of failed) this.dirty.add(group);
    } catch (error) {
      this.options.onError?.(error as Error);
    } finally {
      this.running = false;
    }
  }

  /**
   * A few writers, each taking the next group until none is left: live changes first, then the rest (the first
   * judgement's thousands of objects, a verdict change), so a change waits for one write, not for the backlog. A
   * quarter of the writers take the backlog first, so it is written even while changes come faster than the API
   * server takes them.
   *
   * A writer that finds nothing to take waits while any write is under way, and takes what the next batch brings:
   * writers that ended instead left one slow write's writer alone with every group that came after it, one write at
   * a time until the backlog was gone (on the bench that was seconds behind, for tens of seconds). The round ends
   * when nothing is left to take and no write is under way.
   */
  private async flush(failed: Set<Group>): Promise<void> {
    const writer = async (index: number) => {
      const backlogFirst = index < WRITERS / 4;
      for (;;) {
        const group = this.next(backlogFirst);
        if (group === undefined) {
          if (this.inFlight.size === 0) return this.wakeWriters();
          await new Promise<void>((resolve) => this.idleWriters.push(resolve));
          continue;
        }
        try {
          await this.writeGroup(group, this.scores!, this.status());
        } catch (error) {
          failed.add(group);
          this.options.onError?.(error as Error);
        } finally {
          this.inFlight.delete(group);
          // The group may be dirty again (changed while it was written), and may be the only one left to take.
          this.wakeWriters();
        }
      }
    };
    if (this.scores !== undefined) await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));
  }

  /** The waiting writers look again: a batch brought groups, or a write ended. */
  private wakeWriters(): void {
    const waiting = this.idleWriters;
    this.idleWriters = [];
    for (const resolve of waiting) resolve();
  }

  /** The next group to write, none being written already: urgent ones first, or the backlog first. */
  private next(backlogFirst: boolean): Group | undefined {
    if (backlogFirst) {
      for (const group of this.dirty) {
        if (this.inFlight.has(group) || this.urgent.has(group)) continue;
        this.dirty.delete(group);
        return this.take(group);
      }
    }
    for (const group of this.urgent) {
      if (this.inFlight.has(group)) continue;
      this.urgent.delete(group);
      if (this.dirty.delete(group)) return this.take(group);
    }
    for (const group of this.dirty) {
      if (this.inFlight.has(group)) continue;
      this.dirty.delete(group);
      return this.take(group);
    }
    return undefined;
  }

  private take(group: Group): Group {
    this.inFlight.add(group);
    return group;
  }

  /** The run's verdict now; per namespace every object carries it, so when it changes every object is written again. */
  private status(): VerdictStatus {
    const status = countsVerdict(this.open, FAIL_ON);
    // Per resource, each object carries its own resource's verdict (so one resource's change never rewrites the others).
    if (this.scope === 'namespace' && this.lastVerdict !== undefined && status !== this.lastVerdict) for (const group of [...this.findings.keys(), ...this.written.keys()]) this.dirty.add(group);
    this.lastVerdict = status;
    return status;
  }

  private async writeGroup(group: Group, scores: Scores, status: VerdictStatus): Promise<void> {
    const findings = this.findings.get(group);
    // The namespace layout's cluster report is always there, even empty; any other group has objects only while it has findings.
    const objects = (findings !== undefined && findings.size > 0) || (this.scope === 'namespace' && group === '') ? this.render(group, findings, scores, status) : [];
    if (findings !== undefined && findings.size === 0) this.findings.delete(group);
    this.rendered += objects.length;
    let written = this.written.get(group);
    if (!written) this.written.set(group, (written = new Map()));
    const keep = new Set<ReportKey>();
    for (const object of objects) {
      const { metadata } = object.document;
      const key = `${metadata.namespace ?? ''}/${metadata.name}`;
      keep.add(key);
      const known = written.get(key);
      if (known !== undefined && known.digest === (known.listed ? listedDigest(object.document) : object.digest)) {
        if (known.listed) written.set(key, { ...known, digest: object.digest, listed: false });
        continue;
      }
      const resourceVersion = await this.put(object, known?.resourceVersion);
      written.set(key, { digest: object.digest, listed: false, resourceVersion });
    }
    for (const key of [...written.keys()]) {
      if (keep.has(key)) continue;
      await this.remove(key);
      written.delete(key);
    }
    if (written.size === 0) this.written.delete(group);
  }

  /**
   * The group's objects, rendered by `--format policyreport`'s code: per resource, from its findings alone
   * (resource-report.ts); per namespace, `--format policyreport`'s objects of the namespace.
   */
  private render(group: Group, findings: Map<string, Finding> | undefined, scores: Scores, status: VerdictStatus): RenderedReport[] {
    if (this.scope === 'resource') {
      const first = findings?.values().next().value;
      if (findings === undefined || first === undefined) return [];
      if (this.sections?.scores !== scores) this.sections = { scores, sections: controlSections(scores.controls) };
      return renderResourceReports(findings.values(), {
        api: this.options.api,
        at: this.at,
        failOn: FAIL_ON,
        run: { toolVersion: TOOL_VERSION, framework: FRAMEWORK, kubernetesVersion: formatVersion(this.options.version) },
        sections: this.sections.sections,
        uid: this.options.uidOf?.(first.resource),
      });
    }
    const documents: RenderedReport[] = [];
    const store = new FindingStore();
    try {
      for (const finding of findings?.values() ?? []) store.add(finding);
      const report = buildReport(
        { store, errors: [], stats: { inputs: 0, resources: 0, podTemplates: 0 }, scores, exceptions: [], selection: { active: [], skipped: [] } },
        { framework: FRAMEWORK, version: this.options.version, failOn: FAIL_ON, target: { kind: 'cluster', name: this.options.cluster } },
      );
      // A namespace's findings alone also render an empty cluster report: only the group's own namespace is kept.
      for (const document of policyReportDocuments(report, { api: this.options.api, now: this.at, verdict: status })) {
        if ((document.metadata.namespace ?? '') === group) documents.push(renderedDocument(document));
      }
    } finally {
      store.close();
    }
    return documents;
  }

  /** The group a finding's objects are rendered in. */
  private groupOf(finding: Finding): Group {
    const namespace = reportNamespace(finding) ?? '';
    if (this.scope === 'namespace') return namespace;
    const { apiVersion, kind, name } = finding.resource;
    return resourceGroup(namespace, apiVersion, kind, name ?? '');
  }

  private groupFindings(finding: Finding): Map<string, Finding> {
    const group = this.groupOf(finding);
    let findings = this.findings.get(group);
    if (!findings) this.findings.set(group, (findings = new Map()));
    return findings;
  }

  private count(finding: Finding, by: 1 | -1): void {
    if (!finding.suppression) this.open[finding.severity] += by;
  }

  /** The reports an earlier run left, filed under the group this layout gives them (their `scope`, or their namespace). */
  private async findExisting(): Promise<void> {
    const { api } = this.options;
    const resources = REPORT_RESOURCES[api];
    for (const [plural, namespaced] of [[resources.cluster, false], [resources.namespaced, true]] as const) {
      const response = await this.client.get(`/apis/${api}/${plural}?labelSelector=${encodeURIComponent(MANAGED_BY_SELECTOR)}`);
      if (response.status !== 200) throw new Error(`listing ${plural}: HTTP ${response.status}`);
      const items = parseObject(response.body)?.['items'];
      for (const item of Array.isArray(items) ? items.filter(isRecord) : []) {
        const metadata = isRecord(item['metadata']) ? item['metadata'] : {};
        const namespace = namespaced ? String(metadata['namespace']) : '';
        const name = String(metadata['name']);
        const group = this.existingGroup(namespace, name, item['scope']);
        let written = this.written.get(group);
        if (!written) this.written.set(group, (written = new Map()));
        const key = `${namespace}/${name}`;
        // Its digest as listed: a report whose content the first judgement renders again is not written again.
        if (!written.has(key)) written.set(key, { digest: listedDigest(item), listed: true, resourceVersion: typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : undefined });
      }
    }
  }

  private existingGroup(namespace: string, name: string, scope: unknown): Group {
    if (this.scope === 'namespace') return namespace;
    if (isRecord(scope) && typeof scope['kind'] === 'string' && typeof scope['name'] === 'string' && typeof scope['apiVersion'] === 'string') return resourceGroup(namespace, scope['apiVersion'], scope['kind'], scope['name']);
    return `\u0000stale\u0000${namespace}/${name}`;
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
  private async put(object: RenderedReport, resourceVersion: string | undefined): Promise<string | undefined> {
    const { document } = object;
    const namespace = document.metadata.namespace ?? '';
    const where = `${document.kind} ${namespace}/${document.metadata.name}`;
    const path = this.path(namespace, document.metadata.name);
    const replace = async (version: string | undefined) => {
      this.writes++;
      return this.client.write('PUT', path, object.body(version), 'application/json', METADATA_ONLY);
    };
    let response = resourceVersion === undefined ? undefined : await replace(resourceVersion);
    if (response === undefined || response.status === 404) {
      this.writes++;
      response = await this.client.write('POST', this.path(namespace), object.body(undefined), 'application/json', METADATA_ONLY);
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

/** Writes in flight at once: each waits mostly on etcd's commit, which takes the writes that arrive together at once. */
const WRITERS = 8;

/**
 * What a write asks back: the written object's metadata alone (its resourceVersion is all the sink keeps), not the
 * whole report again. The API server then encodes ~1 KB instead of the report (6.5 KB for 6 results) and the agent
 * parses that; a server that does not offer it answers the object (the second choice), which has the same metadata.
 */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** `failOn` of the report the sink renders (the verdict every object carries). */
const FAIL_ON = 'high';
/** The framework the objects name: the agent judges every control. */
const FRAMEWORK = 'all';

function versionOf(body: Buffer): string | undefined {
  const metadata = parseObject(body)?.['metadata'];
  const version = isRecord(metadata) ? metadata['resourceVersion'] : undefined;
  return typeof version === 'string' ? version : undefined;
}

function resourceGroup(namespace: string, apiVersion: string, kind: string, name: string): Group {
  return `${namespace}\u0000${apiVersion}\u0000${kind}\u0000${name}`;
}
