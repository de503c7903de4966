/**
 * `--format policyreport`: the report as Kubernetes policy report objects, ready for `kubectl apply -f`, so
 * Policy Reporter, Kyverno's UI and anything else that reads the policy report CRDs show kubeharden's findings.
 *
 * Two APIs, one model:
 * - `wgpolicyk8s.io/v1alpha2` (PolicyReport / ClusterPolicyReport, the revision Kyverno ships, with `source` and the
 *   critical…info severities);
 * - `openreports.io/v1alpha1` (Report / ClusterReport), its successor, which adds a report-level `source` and a
 *   `configuration` block.
 *
 * Layout:
 * - One namespaced report per namespace with findings (`kubeharden-<namespace>`), and one cluster report
 *   (`kubeharden-cluster`) for cluster-scoped resources and input errors. The cluster report is always written,
 *   even empty, so the output is never an empty stream and re-applying it clears cluster findings that were fixed.
 * - Namespace: a cluster-scoped kind (Namespace, ClusterRole, CRD, webhook configurations, …) goes to the cluster
 *   report whatever its manifest says (the API server ignores `metadata.namespace` on those). A namespaced kind
 *   whose manifest sets no namespace is reported in `default`: that is where `kubectl apply` creates it unless the
 *   context or `-n` names another namespace. Such results carry the property `assumedNamespace: default`, so the
 *   guess is visible. Custom kinds are taken as namespaced unless their name starts with `Cluster` (the
 *   convention of ClusterIssuer, ClusterPolicy, ClusterSecretStore, …).
 * - One result per finding: `fail` when it counts, `skip` when an exception or ignore annotation accepts it (the
 *   reason in `properties`). kubeharden's own severities are the CRDs' enum (critical, high, medium, low, info),
 *   so they map one to one. Unreadable inputs become `error` results in the cluster report: the scan is incomplete.
 *   So does each part of a cluster or node the scan could not read (`warn` when `--allow-partial` accepted it).
 *   Every object carries the run's verdict in the annotation `kubeharden.io/verdict`.
 * - No `pass` results: kubeharden counts the resources that passed each control but does not name them, and a
 *   result without resources would be read as covering the whole report scope (namespace or cluster), which
 *   overstates what was checked. The summary counts exactly the results in each object.
 * - Size: etcd refuses objects over ~1.5 MB. A report holds at most {@link MAX_RESULTS_PER_REPORT} results and
 *   about {@link MAX_REPORT_BYTES} bytes of them; past that it continues in `<name>-2`, `<name>-3`, … in the same
 *   namespace, each with its own summary.
 */
import { ruleMeta } from './rule-meta.js';
import { nsaChapter } from '../engine/scores.js';
import type { Severity } from '../vocabulary/severity.js';
import { isClusterScopedKind } from '../kube/scope.js';
import { portablePath } from '../exceptions/fingerprint.js';
import type { InputError } from '../loader/source.js';
import { findingsOf, verdict, type NotAssessed, type Report, type ReportFinding, type Verdict } from './report.js';
import { writeYaml } from './yaml-writer.js';
import { HeldEntries } from './finding-list.js';

import type { PolicyReportApi } from './format-ids.js';
export { POLICY_REPORT_APIS, type PolicyReportApi } from './format-ids.js';

export interface PolicyReportOptions {
  readonly api: PolicyReportApi;
  /** The time stamped on every result; now when absent. */
  readonly now?: Date;
  /**
   * The whole run's verdict, when the report holds only part of its findings (`kubeharden serve` renders one
   * namespace's objects at a time); the report's own verdict when absent.
   */
  readonly verdict?: Verdict['status'];
}


/** Results per report object before it continues in the next one. */
export const MAX_RESULTS_PER_REPORT = 1000;
/** Serialized bytes of results per report object before it continues in the next one (etcd's limit is ~1.5 MB). */
export const MAX_REPORT_BYTES = 1_000_000;

export const REPORT_SOURCE = 'kubeharden';
/** The namespace a namespaced resource without `metadata.namespace` is assumed to land in. */
export const ASSUMED_NAMESPACE = 'default';

type Outcome = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/** corev1.ObjectReference, as far as kubeharden fills it. */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  fieldPath?: string;
}

export interface PolicyReportResult {
  source: string;
  policy: string;
  rule?: string;
  category?: string;
  severity?: Severity;
  timestamp: { seconds: number; nanos: number };
  result: Outcome;
  scored: boolean;
  resources?: ObjectReference[];
  message: string;
  /** map[string]string: string values only. */
  properties: Record<string, string>;
}

export interface PolicyReportSummary {
  pass: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
}

export interface PolicyReportDocument {
  apiVersion: PolicyReportApi;
  kind: 'PolicyReport' | 'ClusterPolicyReport' | 'Report' | 'ClusterReport';
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  /** openreports.io only. */
  source?: string;
  /** openreports.io only: what consumers may expect of the results. */
  configuration?: { limits: { maxResults: number; statusFilter: Outcome[] } };
  summary: PolicyReportSummary;
  results: PolicyReportResult[];
}

const KINDS: Record<PolicyReportApi, { namespaced: PolicyReportDocument['kind']; cluster: PolicyReportDocument['kind'] }> = {
  'wgpolicyk8s.io/v1alpha2': { namespaced: 'PolicyReport', cluster: 'ClusterPolicyReport' },
  'openreports.io/v1alpha1': { namespaced: 'Report', cluster: 'ClusterReport' },
};


/** The policy report objects for a report: cluster report first, then one (or more, when split) per namespace. */
export function renderPolicyReports(report: Report, options: PolicyReportOptions): PolicyReportDocument[] {
  return [...policyReportDocuments(report, options)];
}

/**
 * The same objects one at a time. A first pass reads each finding once to learn its namespace and the size of its
 * result (entries, as numbered binary records, and sizes only are kept); each object is then built from its own findings alone.
 */
export function* policyReportDocuments(report: Report, options: PolicyReportOptions): Generator<PolicyReportDocument> {
  const timestamp = resultTimestamp(options.now ?? new Date());
  const sections = controlSections(report.summary.score.controls);
  const findings = findingsOf(report);
  const resultOf = (finding: ReportFinding): PolicyReportResult => {
    const { namespace, assumed } = placement(finding);
    return findingResult(finding, { namespace, assumed, timestamp, section: sections.get(finding.controlId) });
  };

  // Numbers only per finding (its held entry's number and result size): a finding's result is built when its object is.
  const cluster = new Bucket();
  const byNamespace = new Map<string, Bucket>();
  const held = new HeldEntries();
  for (const entry of findings.entries()) {
    const index = held.push(entry);
    const finding = findings.finding(entry);
    const { namespace } = placement(finding);
    const size = resultSize(resultOf(finding));
    if (namespace === null) cluster.add(index, size);
    else {
      let bucket = byNamespace.get(namespace);
      if (!bucket) byNamespace.set(namespace, (bucket = new Bucket()));
      bucket.add(index, size);
    }
  }
  // Input errors and parts not assessed follow the cluster's findings, marked by negative numbers.
  const errors = [
    ...report.errors.map((error) => errorResult(error, timestamp)),
    ...(report.notAssessed ?? []).map((item) => notAssessedResult(item, report.incomplete === true, timestamp)),
  ];
  errors.forEach((error, index) => cluster.add(-1 - index, resultSize(error)));

  const results = (part: readonly number[]) => part.map((item) => (item < 0 ? (errors[-1 - item] as PolicyReportResult) : resultOf(findings.finding(held.get(item)))));
  const clusterParts = cluster.parts();
  const run = runFacts(report, options);
  for (const [index, part] of clusterParts.entries()) yield reportDocument(run, options.api, null, results(part), index, clusterParts.length);
  for (const namespace of [...byNamespace.keys()].sort()) {
    const parts = (byNamespace.get(namespace) as Bucket).parts();
    for (const [index, part] of parts.entries()) yield reportDocument(run, options.api, namespace, results(part), index, parts.length);
  }
}

/** A result's `timestamp` for a time. */
export function resultTimestamp(now: Date): { seconds: number; nanos: number } {
  const millis = now.getTime();
  if (!Number.isFinite(millis)) throw new RangeError('renderPolicyReports: `now` is not a valid date');
  const seconds = Math.floor(millis / 1000);
  return { seconds, nanos: (millis - seconds * 1000) * 1_000_000 };
}

/** Each scored control's section: the category of a result whose control has no catalog entry. */
export function controlSections(controls: readonly { readonly id: string; readonly section: string }[]): Map<string, string> {
  return new Map(controls.map((score) => [score.id, score.section]));
}

/** The results one family of report objects will hold: held entries' numbers (negative: input errors) and their sizes. */
export class Bucket {
  private readonly items: number[] = [];
  private readonly sizes: number[] = [];

  add(item: number, size: number): void {
    this.items.push(item);
    this.sizes.push(size);
  }

  /** Split so that no object comes near etcd's size limit. Always at least one (maybe empty) part. */
  parts(): number[][] {
    const parts: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const [position, item] of this.items.entries()) {
      const size = this.sizes[position] as number;
      if (current.length > 0 && (current.length >= MAX_RESULTS_PER_REPORT || bytes + size > MAX_REPORT_BYTES)) {
        parts.push(current);
        current = [];
        bytes = 0;
      }
      current.push(item);
      bytes += size;
    }
    parts.push(current);
    return parts;
  }
}

function resultSize(result: PolicyReportResult): number {
  return Buffer.byteLength(JSON.stringify(result));
}

/** The objects as one multi-document YAML stream for `kubectl apply -f`. */
export function renderPolicyReportYaml(report: Report, options: PolicyReportOptions): string {
  return [...renderPolicyReportYamlChunks(report, options)].join('');
}

/** The YAML stream one object at a time. */
export function* renderPolicyReportYamlChunks(report: Report, options: PolicyReportOptions): Generator<string> {
  for (const object of policyReportDocuments(report, options)) yield `---\n${writeYaml(object)}`;
}

/** The report a finding's resource is reported in: its namespace's, or null for the cluster report. */
export function reportNamespace(finding: Pick<ReportFinding, 'resource'>): string | null {
  return placement(finding).namespace;
}

/** Where a finding's resource lives: null for the cluster report. */
export function placement(finding: Pick<ReportFinding, 'resource'>): { namespace: string | null; assumed: boolean } {
  const { apiVersion, kind, namespace } = finding.resource;
  if (isClusterScopedKind(apiVersion, kind)) return { namespace: null, assumed: false };
  // A namespaced kind without a namespace in its manifest: kubectl creates it in the context's namespace,
  // `default` unless configured otherwise. Reported there, and marked as a guess.
  if (namespace === null || namespace === '') return { namespace: ASSUMED_NAMESPACE, assumed: true };
  return { namespace, assumed: false };
}

export interface ResultContext {
  readonly namespace: string | null;
  readonly assumed: boolean;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly section: string | undefined;
  /**
   * Leave `resources` out: in a report whose `scope` names the one resource all its results are about (Kyverno's
   * per-resource reports since 1.11 do the same; Policy Reporter then takes the scope as each result's resource).
   */
  readonly scoped?: boolean;
}

/** The result of one finding. */
export function findingResult(finding: ReportFinding, context: ResultContext): PolicyReportResult {
  const meta = ruleMeta(finding.controlId);
  const control = meta ? { meta } : undefined;
  const { location, suppression } = finding;
  const properties: Record<string, string> = {
    controlId: finding.controlId,
    title: finding.title,
    fingerprint: finding.fingerprint,
    file: portablePath(location.file),
    line: String(location.line),
    column: String(location.column),
  };
  if (location.templateSource !== undefined) properties['templateSource'] = location.templateSource;
  if (finding.field !== '') properties['field'] = finding.field;
  properties['remediation'] = finding.remediation;
  if (finding.event) {
    properties['eventTime'] = finding.event.time;
    properties['auditID'] = finding.event.auditID;
    properties['user'] = finding.event.user;
    properties['sourceIPs'] = finding.event.sourceIPs.join(',');
    properties['verb'] = finding.event.verb;
    properties['requestURI'] = finding.event.requestURI;
  }
  if (control) properties['nsaSection'] = control.meta.nsaSection;
  if (finding.pss) {
    properties['pssLevel'] = finding.pss.level;
    properties['pssCheck'] = finding.pss.check;
  }
  if (context.assumed) properties['assumedNamespace'] = ASSUMED_NAMESPACE;
  if (finding.baseline !== undefined) properties['baseline'] = finding.baseline;
  if (suppression) {
    properties['suppression'] = suppression.kind;
    properties['reason'] = suppression.reason;
    properties['suppressionSource'] = suppression.source;
    if (suppression.owner !== undefined) properties['owner'] = suppression.owner;
    if (suppression.expires !== undefined) properties['expires'] = suppression.expires;
  }
  const rule = finding.pss?.check ?? (finding.field !== '' ? finding.field : finding.controlId);
  return {
    source: REPORT_SOURCE,
    policy: finding.controlId,
    rule,
    category: control ? nsaChapter(control) : (context.section ?? 'Kubernetes hardening'),
    severity: finding.severity,
    timestamp: { ...context.timestamp },
    result: suppression ? 'skip' : 'fail',
    scored: true,
    ...(context.scoped === true ? {} : { resources: [resourceReference(finding, context.namespace)] }),
    message: finding.message,
    properties,
  };
}

/** The finding's resource, and the field it is about, as a result's `resources` entry. */
function resourceReference(finding: ReportFinding, namespace: string | null): ObjectReference {
  const { resource } = finding;
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    ...(namespace !== null ? { namespace } : {}),
    ...(resource.name !== null && resource.name !== '' ? { name: resource.name } : {}),
    ...(finding.field !== '' ? { fieldPath: finding.field } : {}),
  };
}

/** An input kubeharden could not read: the policies could not be evaluated there. */
function errorResult(error: InputError, timestamp: { readonly seconds: number; readonly nanos: number }): PolicyReportResult {
  const file = portablePath(error.file);
  const where = error.line !== null ? `${file}:${error.line}${error.column !== null ? `:${error.column}` : ''}` : file;
  return {
    source: REPORT_SOURCE,
    policy: 'kubeharden-input',
    rule: 'readable',
    category: 'Input',
    timestamp: { ...timestamp },
    result: 'error',
    scored: false,
    message: `${where}: ${error.message}`,
    properties: {
      file,
      ...(error.line !== null ? { line: String(error.line) } : {}),
      ...(error.column !== null ? { column: String(error.column) } : {}),
    },
  };
}

/**
 * A part of a cluster or node the scan could not read: no policy could be evaluated there. `error` when it makes
 * the scan incomplete, `warn` when --allow-partial accepted it.
 */
function notAssessedResult(item: NotAssessed, incomplete: boolean, timestamp: { readonly seconds: number; readonly nanos: number }): PolicyReportResult {
  return {
    source: REPORT_SOURCE,
    policy: 'kubeharden-scan',
    rule: 'assessed',
    category: 'Scan',
    timestamp: { ...timestamp },
    result: incomplete ? 'error' : 'warn',
    scored: false,
    message: `not assessed: ${item.what}: ${item.reason}`,
    properties: { notAssessed: item.what, reason: item.reason },
  };
}

/** What every object of a run says about the run: its annotations. */
export interface RunFacts {
  readonly verdict: Verdict['status'];
  readonly toolVersion: string;
  readonly framework: string;
  readonly kubernetesVersion: string;
}

function runFacts(report: Report, options: PolicyReportOptions): RunFacts {
  return { verdict: options.verdict ?? verdict(report).status, toolVersion: report.tool.version, framework: report.framework, kubernetesVersion: report.kubernetesVersion };
}

/** One report object: part `index` of `parts` of a namespace's (null: the cluster's) results. */
export function reportDocument(run: RunFacts, api: PolicyReportApi, namespace: string | null, results: PolicyReportResult[], index: number, parts: number): PolicyReportDocument {
  const kinds = KINDS[api];
  const suffix = index === 0 ? '' : `-${index + 1}`;
  const name = `${dnsSubdomain(`kubeharden-${namespace ?? 'cluster'}`, 253 - suffix.length)}${suffix}`;
  const annotations: Record<string, string> = {
    // The run's verdict on every object, so whoever reads one report sees whether the scan was complete.
    'kubeharden.io/verdict': run.verdict,
    'kubeharden.io/version': run.toolVersion,
    'kubeharden.io/framework': run.framework,
    'kubeharden.io/kubernetes-version': run.kubernetesVersion,
  };
  if (parts > 1) annotations['kubeharden.io/part'] = `${index + 1}/${parts}`;
  return {
    apiVersion: api,
    kind: namespace === null ? kinds.cluster : kinds.namespaced,
    metadata: {
      name,
      ...(namespace !== null ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': REPORT_SOURCE },
      annotations,
    },
    ...(api === 'openreports.io/v1alpha1'
      ? { source: REPORT_SOURCE, configuration: { limits: { maxResults: MAX_RESULTS_PER_REPORT, statusFilter: ['fail', 'warn', 'skip', 'error'] as Outcome[] } } }
      : {}),
    summary: summarize(results),
    results,
  };
}

function summarize(results: readonly PolicyReportResult[]): PolicyReportSummary {
  const summary: PolicyReportSummary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const result of results) summary[result.result]++;
  return summary;
}

/**
 * A valid DNS-1123 subdomain (lower-case alphanumerics, `-` and `.`, each dot-separated label starting and ending
 * alphanumeric) of at most `maxLength` characters. Namespace names are DNS labels already; this only guards
 * against odd input.
 */
export function dnsSubdomain(text: string, maxLength = 253): string {
  const labels = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .split('.')
    .map((label) => label.replace(/^-+|-+$/g, ''))
    .filter((label) => label !== '');
  const name = labels.join('.').slice(0, maxLength).replace(/[^a-z0-9]+$/, '');
  return name === '' ? 'kubeharden' : name;
}
