import { versionRange } from '../engine/select.js';
import { hasLine } from './location.js';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { ruleMeta } from './rule-meta.js';
import type { Severity } from '../vocabulary/severity.js';
import type { ControlMeta } from '../engine/types.js';
import { repositoryPath } from '../exceptions/fingerprint.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { findingsOf, verdict, type Report, type ReportFinding } from './report.js';

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, a rule per control, results with a physical location
 * (GitHub rejects logical-only ones), a line-independent fingerprint and exceptions as suppressions.
 */

const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub's code-scanning limit per run; past it results are dropped there anyway, so we say so instead. */
export const SARIF_MAX_RESULTS = 25_000;


export function renderSarif(report: Report): string {
  return [...renderSarifChunks(report)].join('');
}

/** Results written as they are read from the store, formatted exactly as `JSON.stringify(log, null, 2)` would. */
const RESULTS_MARK = '\u0000results';

/** The SARIF log in pieces: one result at a time, never the whole list of results as objects and text. */
export function* renderSarifChunks(report: Report): Generator<string> {
  const { log, results } = sarifParts(report);
  const text = JSON.stringify({ ...log, runs: [{ ...log.runs[0], results: RESULTS_MARK }] }, null, 2);
  const mark = text.indexOf(JSON.stringify(RESULTS_MARK));
  const indent = mark - text.lastIndexOf('\n', mark) - 1 - '"results": '.length;
  const itemIndent = ' '.repeat(indent + 2);
  yield text.slice(0, mark);
  let first = true;
  for (const item of results) {
    yield `${first ? '[\n' : ',\n'}${itemIndent}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${itemIndent}`)}`;
    first = false;
  }
  yield first ? '[]' : `\n${' '.repeat(indent)}]`;
  yield `${text.slice(mark + JSON.stringify(RESULTS_MARK).length)}\n`;
}

export function buildSarif(report: Report): Log {
  const { log, results } = sarifParts(report);
  return { ...log, runs: [{ ...(log.runs[0] as Log['runs'][number]), results: [...results] }] };
}

/** The log without its results, and the results (at most SARIF_MAX_RESULTS, most severe first) to come. */
function sarifParts(report: Report): { log: Log; results: Iterable<Result> } {
  const findings = findingsOf(report);
  const ruleIds = [...new Set([...report.summary.controls.run, ...findings.controlIds()])];
  const rules = ruleIds.map((id) => ruleMeta(id)).filter((meta): meta is ControlMeta => meta !== undefined).map(rule);
  const ruleIndex = new Map(rules.map((descriptor, index) => [descriptor.id, index]));
  // Only the results GitHub keeps are read back from the store, one at a time.
  const kept = findings.take(SARIF_MAX_RESULTS);
  const status = verdict(report);
  const notifications: Notification[] = report.errors.map((error) => ({
    level: 'error',
    message: { text: error.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(error.file),
          ...(error.line !== null ? { region: { startLine: error.line, ...(error.column !== null ? { startColumn: error.column } : {}) } } : {}),
        },
      },
    ],
  }));
  // What a cluster or node scan could not read: an error when it makes the scan incomplete, a warning under
  // --allow-partial, which accepts it.
  for (const item of report.notAssessed ?? []) {
    notifications.push({ level: report.incomplete ? 'error' : 'warning', message: { text: `not assessed: ${item.what}: ${item.reason}` } });
  }
  if (kept.length < findings.length) {
    notifications.push({
      level: 'warning',
      message: { text: `${findings.length - kept.length} findings left out: GitHub accepts at most ${SARIF_MAX_RESULTS} results per run` },
    });
  }
  function* results(): Generator<Result> {
    for (const finding of kept) yield result(finding, ruleIndex.get(finding.controlId));
  }
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules } },
        // Separates these results from other scans uploaded for the same commit.
        automationDetails: { id: `${TOOL_NAME}/${report.framework}/` },
        invocations: [
          {
            executionSuccessful: status.complete,
            exitCode: status.exitCode,
            exitCodeDescription: status.text,
            toolExecutionNotifications: notifications,
            properties: { verdict: status.status },
          },
        ],
        results: [],
        properties: {
          kubernetesVersion: report.kubernetesVersion,
          framework: report.framework,
          complianceScore: report.summary.score.overall,
          weightedScore: report.summary.score.weighted,
        },
      },
    ],
  };
  return { log, results: results() };
}

function rule(meta: ControlMeta): ReportingDescriptor {
  const pss = meta.pss ? `pss-${meta.pss.level}` : undefined;
  return {
    id: meta.id,
    name: meta.id.toLowerCase().replace(/(^|-)([a-z0-9])/g, (_, _dash: string, char: string) => char.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.rationale },
    help: { text: `${meta.remediation.text}\n\n${meta.remediation.snippet}`, markdown: helpMarkdown(meta) },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['security', 'kubernetes', ...meta.frameworks.filter((f) => f !== 'all').map((f) => (f === 'nsa' ? 'nsa-cisa' : f)), ...(pss ? [pss] : [])].filter(
        (tag, index, all) => all.indexOf(tag) === index,
      ),
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[meta.severity],
      severity: meta.severity,
      nsaSection: meta.nsaSection,
      kubernetesVersions: versionRange(meta),
    },
  };
}

function helpMarkdown(meta: ControlMeta): string {
  const lines = [
    `**${meta.title}** (${meta.severity})`,
    '',
    meta.rationale,
    '',
    `NSA/CISA: ${meta.nsaSection}${meta.pss ? ` · Pod Security Standards: ${meta.pss.level} (${meta.pss.check})` : ''}`,
    '',
    '**Remediation**',
    '',
    meta.remediation.text,
  ];
  if (meta.remediation.snippet.trim() !== '') lines.push('', '```yaml', meta.remediation.snippet.trimEnd(), '```');
  return lines.join('\n');
}

function result(finding: ReportFinding, index: number | undefined): Result {
  const { resource, location } = finding;
  const resourceName = `${resource.kind}/${resource.namespace ? `${resource.namespace}/` : ''}${resource.name ?? ''}`;
  // Helm output: point at the chart template. Its lines differ from the rendered ones, so no region is claimed there.
  const helm = location.templateSource !== undefined;
  return {
    ruleId: finding.controlId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[finding.severity],
    message: { text: `${resourceName}: ${finding.message}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(helm ? (location.templateSource as string) : location.file),
          ...(helm || !hasLine(location) ? {} : { region: { startLine: location.line, startColumn: location.column } }),
        },
        logicalLocations: [{ name: resource.name ?? '', fullyQualifiedName: resourceName, kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'kubeharden/v1': finding.fingerprint },
    ...(finding.suppression
      ? {
          suppressions: [
            {
              kind: finding.suppression.kind === 'annotation' ? ('inSource' as const) : ('external' as const),
              status: 'accepted' as const,
              justification: finding.suppression.reason,
              properties: { source: finding.suppression.source, ...(finding.suppression.owner ? { owner: finding.suppression.owner } : {}), ...(finding.suppression.expires ? { expires: finding.suppression.expires } : {}) },
            },
          ],
        }
      : {}),
    ...(finding.baseline ? { baselineState: finding.baseline } : {}),
    properties: {
      severity: finding.severity,
      field: finding.field,
      resource: { ...resource },
      ...(finding.event ? { event: finding.event } : {}),
      ...(helm ? { renderedLocation: `${location.file}:${location.line}:${location.column}` } : {}),
      // A chart or overlay rendered from its folder: which one, and with which values files.
      ...(location.renderedFrom ? { renderedFrom: location.renderedFrom } : {}),
    },
  };
}

/**
 * A URI relative to the repository root (`%SRCROOT%`), each segment percent-encoded (file names may hold spaces or
 * `<stdin>`); a file outside the repository gets an absolute `file://` URI instead of a `../` path.
 */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  // A live object's API path is already a URI of its own (`cluster:/api/v1/namespaces/a/pods/b`).
  if (/^cluster:/.test(file)) return { uri: file };
  const path = repositoryPath(file);
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return path.startsWith('/') ? { uri: `file://${encoded}` } : { uri: encoded, uriBaseId: '%SRCROOT%' };
}
