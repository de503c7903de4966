/**
 * The report objects of `kubeharden serve`'s sink, ready to write: each serialized once, with a digest of what it
 * says (timestamps left out) to skip writes that would change nothing.
 *
 * Per resource (`--report-scope resource`) the objects are rendered straight from the resource's findings, with
 * `--format policyreport`'s own pieces (policy-report.ts): the findings in report order (finding-order.ts, ties in
 * the order they came, as the finding store keeps them), one result each by `findingResult`, split into parts as
 * `policyReportDocuments` splits, one object per part by `reportDocument`, then named, scoped and owned by the
 * resource. No finding store, no second rendering for sizes, no sorted second serialization for the digest: a
 * change writes a few KB and the agent's CPU goes to the API server. The results carry no `resources`: the
 * object's `scope` names the resource (Kyverno's per-resource reports since 1.11 do the same, and Policy Reporter
 * takes the scope as a result's resource when it names none); the field stays in `properties.field`.
 */
import { createHash } from 'node:crypto';
import { listedKind, liveObjectFile } from '../cluster/resource-kinds.js';
import { compareFindings } from '../engine/finding-order.js';
import { fingerprint } from '../exceptions/fingerprint.js';
import { Bucket, findingResult, placement, reportDocument, resultTimestamp, type ObjectReference, type PolicyReportApi, type PolicyReportDocument, type PolicyReportResult, type RunFacts } from '../report/policy-report.js';
import { ruleMeta } from '../report/rule-meta.js';
import { countsVerdict, type FailOn, type ReportFinding } from '../report/report.js';
import type { Finding, ResourceRef } from '../vocabulary/finding.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
import { isRecord } from '../util/object.js';

/** On a per-resource report: the uid of its resource (Kyverno labels its reports `audit.kyverno.io/resource.uid`). */
export const RESOURCE_UID_LABEL = 'kubeharden.io/resource-uid';

/** A per-resource report: `--format policyreport`'s object with the resource as its scope and owner. */
export type ScopedDocument = Omit<PolicyReportDocument, 'metadata'> & {
  metadata: PolicyReportDocument['metadata'] & { ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[] };
  scope?: ObjectReference & { uid?: string };
};

/** One object to write. */
export interface RenderedReport {
  readonly document: ScopedDocument;
  /** What the object says, its results' timestamps left out: two renderings that say the same have the same digest. */
  readonly digest: string;
  /** The JSON of a write: the object with the resourceVersion last seen (a replace), or without (a create). */
  body(resourceVersion: string | undefined): Buffer;
}

/** What a resource's objects need besides its findings. */
export interface ResourceReportContext {
  readonly api: PolicyReportApi;
  readonly at: Date;
  readonly failOn: FailOn;
  /** The run's facts every object carries; the verdict is the resource's own. */
  readonly run: Omit<RunFacts, 'verdict'>;
  /** Each scored control's section (a result's category when its control has no catalog entry). */
  readonly sections: ReadonlyMap<string, string>;
  /** The resource's uid from the watches; undefined when they do not hold it. */
  readonly uid: string | undefined;
}

/** The objects of one resource's findings (at least one finding; all of the same resource). */
export function renderResourceReports(findings: Iterable<Finding>, context: ResourceReportContext): RenderedReport[] {
  const ordered = [...findings].sort(compareFindings);
  const first = ordered[0];
  if (first === undefined) return [];
  const { namespace, assumed } = placement(first);
  const timestamp = resultTimestamp(context.at);
  const place = livePlace(first.resource);
  const results = ordered.map((finding) => withoutOwnPlace(withoutCatalogFacts(findingResult(reported(finding), { namespace, assumed, timestamp, section: context.sections.get(finding.controlId), scoped: true })), place));
  const texts = results.map(resultJson);
  const bucket = new Bucket();
  texts.forEach((text, index) => bucket.add(index, Buffer.byteLength(text.whole)));
  const parts = bucket.parts();
  const run: RunFacts = { ...context.run, verdict: resourceVerdict(ordered, context.failOn) };
  return parts.map((part, index) => {
    const document = scopedDocument(reportDocument(run, context.api, namespace, part.map((item) => results[item] as PolicyReportResult), index, parts.length), first.resource, context.uid);
    return serialized(document, part.map((item) => texts[item] as ResultJson));
  });
}

/**
 * A per-resource result without the properties its `policy` already determines, when they are the catalog's: the
 * control's id again, its title, remediation, NSA/CISA section and PSS level and check (the last is the result's
 * `rule` too). `kubeharden controls ID -o json`, docs/controls.md and the dashboard give them. They were about 30%
 * of a report's bytes and a fifth of the API server's CPU per write (`--report-write-cost`), which at 100 changes a
 * second on the bench's two cores is what kept the reports seconds behind; Kyverno's results carry none of them
 * either. A value the finding has that differs from the catalog's is kept, and so is everything about the finding
 * itself (message, field, fingerprint, place, suppression).
 */
export function withoutCatalogFacts(result: PolicyReportResult): PolicyReportResult {
  const meta = ruleMeta(result.policy);
  if (meta === undefined) return result;
  const catalog: Record<string, string | undefined> = {
    controlId: meta.id,
    title: meta.title,
    remediation: meta.remediation.text,
    nsaSection: meta.nsaSection,
    pssLevel: meta.pss?.level,
    pssCheck: meta.pss?.check,
  };
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.properties)) if (catalog[key] !== value) properties[key] = value;
  return { ...result, properties };
}

/**
 * Where a live finding on the resource itself points: its API path (`cluster:/apis/apps/v1/namespaces/shop/deployments/web`),
 * line and column 0 (an object read from the API server has no file text). Undefined for a kind the agent does not
 * list.
 */
function livePlace(resource: ResourceRef): string | undefined {
  const kind = listedKind(resource.apiVersion, resource.kind);
  return kind === undefined || resource.name === null ? undefined : liveObjectFile(kind, resource.namespace ?? undefined, resource.name);
}

/**
 * A per-resource result without `file`, `line` and `column` when they only say that the finding is on the live
 * resource the report's `scope` names (its API path, line 0, column 0): the scope says it already. A place anywhere
 * else (another object's path, a line) stays.
 */
export function withoutOwnPlace(result: PolicyReportResult, place: string | undefined): PolicyReportResult {
  const { file, line, column, ...rest } = result.properties;
  if (place === undefined || file !== place || line !== '0' || column !== '0') return result;
  return { ...result, properties: rest };
}

/** A result's JSON, and the same without its timestamp (what the digest reads). */
interface ResultJson {
  readonly whole: string;
  readonly untimed: string;
}

/**
 * `JSON.stringify(result)` made as the JSON of the keys before `timestamp` and of those after it, so the text
 * without the timestamp comes at no second serialization.
 */
function resultJson(result: PolicyReportResult): ResultJson {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  let seen = false;
  for (const [key, value] of Object.entries(result)) {
    if (key === 'timestamp') seen = true;
    else (seen ? after : before)[key] = value;
  }
  const head = JSON.stringify(before).slice(0, -1);
  const tail = JSON.stringify(after).slice(1);
  // `source` comes first and `properties` last, so neither part is empty and each joins with a comma.
  return { whole: `${head},"timestamp":${JSON.stringify(result.timestamp)},${tail}`, untimed: `${head},${tail}` };
}

/**
 * An object serialized as `JSON.stringify` would (the test pins it), its results' JSON made once: the digest reads
 * the object without results, then each result without its timestamp; a write's body puts the results' JSON after
 * the rest of the object, the resourceVersion in its metadata.
 */
function serialized(document: ScopedDocument, resultTexts: readonly ResultJson[]): RenderedReport {
  const joined = resultTexts.map((text) => text.whole).join(',');
  const envelope = (resourceVersion: string | undefined) => JSON.stringify({ ...document, metadata: { ...document.metadata, resourceVersion }, results: [] });
  const hash = createHash('sha256').update(envelope(undefined));
  for (const text of resultTexts) hash.update(text.untimed);
  return {
    document,
    digest: hash.digest('base64'),
    body(resourceVersion) {
      const head = envelope(resourceVersion);
      // `results` is the object's last key: its empty list closes the text.
      if (!head.endsWith(EMPTY_RESULTS_END)) return Buffer.from(JSON.stringify({ ...document, metadata: { ...document.metadata, resourceVersion } }));
      return Buffer.from(`${head.slice(0, -EMPTY_RESULTS_END.length)}"results":[${joined}]}`);
    },
  };
}

const EMPTY_RESULTS_END = '"results":[]}';

/** The object of any layout, serialized once. */
export function renderedDocument(document: ScopedDocument): RenderedReport {
  return serialized(document, document.results.map(resultJson));
}

/**
 * A resource's object: named `kubeharden-<uid>` (Kyverno names its own `<uid>`, so the prefix keeps the two apart
 * in one namespace), `scope` naming the resource, and an ownerReference to it, so the report goes with the
 * resource. A resource the watches do not hold (no uid) gets a name from its identity and no owner.
 */
export function scopedDocument(document: PolicyReportDocument, resource: ResourceRef, uid: string | undefined): ScopedDocument {
  const namespace = document.metadata.namespace;
  const id = uid ?? createHash('sha256').update(`${resource.apiVersion}/${resource.kind}/${namespace ?? ''}/${resource.name ?? ''}`).digest('hex').slice(0, 32);
  // A resource past one object's size continues in `-2`, `-3`, … as the namespace layout does.
  const part = /^(\d+)\//.exec(document.metadata.annotations['kubeharden.io/part'] ?? '')?.[1];
  const name = `kubeharden-${id}${part !== undefined && part !== '1' ? `-${part}` : ''}`;
  const { metadata, summary, results, ...rest } = document;
  return {
    ...rest,
    metadata: {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { ...metadata.labels, ...(uid !== undefined ? { [RESOURCE_UID_LABEL]: uid } : {}) },
      annotations: metadata.annotations,
      ...(uid !== undefined && resource.name !== null ? { ownerReferences: [{ apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name, uid }] } : {}),
    },
    scope: {
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(resource.name !== null ? { name: resource.name } : {}),
      ...(uid !== undefined ? { uid } : {}),
    },
    summary,
    results,
  };
}

/** The verdict of a report of these findings alone (`verdict` of report.ts, as `--format policyreport` computes it). */
function resourceVerdict(findings: readonly Finding[], failOn: FailOn): RunFacts['verdict'] {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) if (!finding.suppression) bySeverity[finding.severity]++;
  return countsVerdict(bySeverity, failOn);
}

/** The finding as the report shows it: with its fingerprint (the agent's findings carry one already). */
function reported(finding: Finding): ReportFinding {
  const known = (finding as Partial<ReportFinding>).fingerprint;
  return known !== undefined ? (finding as ReportFinding) : { ...finding, fingerprint: fingerprint(finding) };
}

/**
 * A digest of what a report says, the same for the object the sink renders and for that object as the API server
 * lists it: the fields the sink writes (not the server's uid, resourceVersion, managedFields, …), results without
 * their timestamps, keys sorted (the API server answers a custom resource's keys sorted). Only for the objects an
 * earlier run left, once, at the start: the objects the sink writes have their digest from their own bytes.
 */
export function listedDigest(object: Record<string, unknown>): string {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const results = Array.isArray(object['results']) ? object['results'] : [];
  const content = {
    apiVersion: object['apiVersion'],
    kind: object['kind'],
    metadata: { name: metadata['name'], namespace: metadata['namespace'], labels: metadata['labels'], annotations: metadata['annotations'], ownerReferences: metadata['ownerReferences'] },
    scope: object['scope'],
    summary: object['summary'],
    results: results.map((result) => (isRecord(result) ? { ...result, timestamp: undefined } : result)),
  };
  return createHash('sha256').update(sortedJson(content)).digest('base64');
}

/** JSON with every object's keys sorted and undefined values left out. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : sortedJson(item))).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${sortedJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
