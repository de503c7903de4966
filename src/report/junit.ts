import { hasLine, locationText } from './location.js';
import { isCrossResource, ruleMeta } from './rule-meta.js';
import type { AssessedResource } from '../engine/scan.js';
import type { ControlMeta } from '../engine/types.js';
import type { Report, ReportFinding } from './report.js';
import { xmlAttribute, xmlText } from './xml.js';

/**
 * JUnit XML, as Jenkins, GitLab, Azure DevOps and the GitHub test-report actions read it: a test suite per control
 * and a test case per control × resource. Failures carry the message and location; accepted risks are skipped.
 * Cross-resource controls (namespaces without policies, RBAC) list their failing subjects and one case for the
 * resources that passed, because the scan keeps only their counts.
 */


interface Case {
  readonly name: string;
  readonly file: string;
  readonly line?: number;
  readonly findings: readonly ReportFinding[];
  /** A case standing for several passed resources. */
  readonly passedCount?: number;
}

export function* renderJunit(report: Report, assessed: readonly AssessedResource[] | undefined): Generator<string> {
  const shownSeverities = report.summary.severityFilter ? new Set(report.summary.severityFilter) : undefined;
  const controlIds = report.summary.controls.run.filter((id) => {
    const meta = ruleMeta(id);
    return meta !== undefined && (!shownSeverities || shownSeverities.has(meta.severity));
  });
  const findingsByControl = groupBy(report.findings, (finding) => finding.controlId);
  const assessedByControl = new Map<string, AssessedResource[]>();
  for (const entry of assessed ?? []) {
    for (const control of entry.controls) {
      let list = assessedByControl.get(control.meta.id);
      if (!list) assessedByControl.set(control.meta.id, (list = []));
      list.push(entry);
    }
  }
  const suites = controlIds.map((id) => suite(ruleMeta(id) as ControlMeta, findingsByControl.get(id) ?? [], assessedByControl.get(id), report));
  const totals = suites.reduce(
    (sum, s) => ({ tests: sum.tests + s.tests, failures: sum.failures + s.failures, skipped: sum.skipped + s.skipped }),
    { tests: 0, failures: 0, skipped: 0 },
  );
  const missing = notAssessedSuite(report);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="kubeharden" tests="${totals.tests + report.errors.length + missing.tests}" failures="${totals.failures}" errors="${report.errors.length + missing.errors}" skipped="${totals.skipped + missing.skipped}" time="0">\n`;
  if (report.errors.length > 0) yield inputErrorSuite(report);
  if (missing.tests > 0) yield missing.xml;
  for (const s of suites) yield s.xml;
  yield '</testsuites>\n';
}

function suite(meta: ControlMeta, findings: readonly ReportFinding[], assessed: readonly AssessedResource[] | undefined, report: Report) {
  const cases = casesFor(meta, findings, assessed, report);
  let failures = 0;
  let skipped = 0;
  const body: string[] = [];
  for (const item of cases) {
    const attributes = `name="${xmlAttribute(item.name)}" classname="${xmlAttribute(`kubeharden.${meta.id}`)}" file="${xmlAttribute(item.file)}"${item.line !== undefined ? ` line="${item.line}"` : ''} time="0"`;
    const open = item.findings.filter((finding) => !finding.suppression);
    if (open.length > 0) {
      failures++;
      body.push(`    <testcase ${attributes}>\n      <failure message="${xmlAttribute(open[0]?.message ?? '')}" type="${meta.severity}">${xmlText(failureDetail(meta, open))}</failure>\n    </testcase>\n`);
    } else if (item.findings.length > 0) {
      skipped++;
      const suppression = item.findings[0]?.suppression;
      body.push(`    <testcase ${attributes}>\n      <skipped message="${xmlAttribute(`exception: ${suppression?.reason ?? ''} (${suppression?.source ?? ''})`)}"/>\n    </testcase>\n`);
    } else {
      body.push(`    <testcase ${attributes}/>\n`);
    }
  }
  const tests = cases.length;
  const score = report.summary.score.controls.find((control) => control.id === meta.id);
  const xml =
    `  <testsuite name="${xmlAttribute(`${meta.id}: ${meta.title}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n` +
    '    <properties>\n' +
    `      <property name="severity" value="${meta.severity}"/>\n` +
    `      <property name="nsaSection" value="${xmlAttribute(meta.nsaSection)}"/>\n` +
    (meta.pss ? `      <property name="pss" value="${xmlAttribute(`${meta.pss.level}/${meta.pss.check}`)}"/>\n` : '') +
    (score?.score !== null && score?.score !== undefined ? `      <property name="score" value="${score.score}"/>\n` : '') +
    '    </properties>\n' +
    body.join('') +
    '  </testsuite>\n';
  return { xml, tests, failures, skipped };
}

function casesFor(meta: ControlMeta, findings: readonly ReportFinding[], assessed: readonly AssessedResource[] | undefined, report: Report): Case[] {
  const byResource = groupBy(findings, (finding) => resourceKey(finding.location.file, finding.resource));
  const cases: Case[] = [...byResource.values()].map((group) => {
    const first = group[0] as ReportFinding;
    return { name: resourceName(first.resource), file: first.location.templateSource ?? first.location.file, ...(hasLine(first.location) ? { line: first.location.line } : {}), findings: group };
  });
  if (assessed && !isCrossResource(meta.id)) {
    for (const entry of assessed) {
      if (!byResource.has(resourceKey(entry.file, entry.resource))) cases.push({ name: resourceName(entry.resource), file: entry.file, findings: [] });
    }
  } else {
    const score = report.summary.score.controls.find((control) => control.id === meta.id);
    // Scores count accepted risks as passed; here they are already skipped cases, so they must not pass twice.
    const accepted = cases.filter((item) => item.findings.length > 0 && item.findings.every((finding) => finding.suppression)).length;
    const passed = Math.max(0, (score ? score.passed : 0) - accepted);
    if (passed > 0) cases.push({ name: `${passed} other ${passed === 1 ? 'resource' : 'resources'} passed`, file: '', findings: [], passedCount: passed });
  }
  return cases;
}

function failureDetail(meta: ControlMeta, findings: readonly ReportFinding[]): string {
  const lines = findings.map((finding) => {
    const { templateSource } = finding.location;
    return `${locationText(finding.location)}${templateSource ? ` (${templateSource})` : ''}  ${finding.field}\n  ${finding.message}`;
  });
  return `${lines.join('\n')}\n\nFix: ${meta.remediation.text}\n`;
}

function inputErrorSuite(report: Report): string {
  const cases = report.errors.map(
    (error) =>
      `    <testcase name="${xmlAttribute(error.line === null ? error.file : `${error.file}:${error.line}`)}" classname="kubeharden.input" file="${xmlAttribute(error.file)}" time="0">\n` +
      `      <error message="${xmlAttribute(error.message)}" type="input-error"/>\n    </testcase>\n`,
  );
  return `  <testsuite name="input errors" tests="${cases.length}" failures="0" errors="${cases.length}" skipped="0" time="0">\n${cases.join('')}  </testsuite>\n`;
}

/**
 * What a cluster or node scan could not read, a case each: an error when it makes the scan incomplete (CI shows the
 * run as broken, as the exit code does), skipped when --allow-partial accepted it.
 */
function notAssessedSuite(report: Report): { xml: string; tests: number; errors: number; skipped: number } {
  const items = report.notAssessed ?? [];
  const outcome = report.incomplete ? 'error' : 'skipped';
  const cases = items.map(
    (item) =>
      `    <testcase name="${xmlAttribute(item.what)}" classname="kubeharden.not-assessed" time="0">\n` +
      `      <${outcome} message="${xmlAttribute(`not assessed: ${item.reason}`)}"${outcome === 'error' ? ' type="not-assessed"' : ''}/>\n    </testcase>\n`,
  );
  const errors = outcome === 'error' ? cases.length : 0;
  const skipped = cases.length - errors;
  const xml = `  <testsuite name="not assessed" tests="${cases.length}" failures="0" errors="${errors}" skipped="${skipped}" time="0">\n${cases.join('')}  </testsuite>\n`;
  return { xml, tests: cases.length, errors, skipped };
}

function resourceName(resource: { kind: string; namespace: string | null; name: string | null }): string {
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name ?? '(unnamed)'}`;
}

function resourceKey(file: string, resource: { kind: string; namespace: string | null; name: string | null }): string {
  return `${file}\u0000${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name ?? ''}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let group = groups.get(k);
    if (!group) groups.set(k, (group = []));
    group.push(item);
  }
  return groups;
}
