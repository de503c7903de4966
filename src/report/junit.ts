import { hasLine, locationText } from './location.js';
import { isCrossResource, ruleMeta } from './rule-meta.js';
import type { AssessedResource } from '../scan/scan.js';
import type { ControlMeta } from '../engine/types.js';
import { findingsOf, type Report, type ReportFinding } from './report.js';
import { HeldEntries, type FindingList } from './finding-list.js';
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

/** A suite's cases before any finding is read: groups of held entries' numbers per resource, and the passed ones. */
interface SuitePlan {
  readonly meta: ControlMeta;
  readonly groups: Map<number, number[]>;
  readonly passed: readonly AssessedResource[];
  readonly passedCount: number;
  readonly tests: number;
  readonly failures: number;
  readonly skipped: number;
}

export function* renderJunit(report: Report, assessed: readonly AssessedResource[] | undefined): Generator<string> {
  const shownSeverities = report.summary.severityFilter ? new Set(report.summary.severityFilter) : undefined;
  const controlIds = report.summary.controls.run.filter((id) => {
    const meta = ruleMeta(id);
    return meta !== undefined && (!shownSeverities || shownSeverities.has(meta.severity));
  });
  const findings = findingsOf(report);
  // Held entries per control in report order: numbers only, the findings are read when their suite is written.
  const held = new HeldEntries();
  const indexesByControl = new Map<string, number[]>();
  for (const entry of findings.entries()) {
    const control = findings.controlOf(entry);
    let list = indexesByControl.get(control);
    if (!list) indexesByControl.set(control, (list = []));
    list.push(held.push(entry));
  }
  const assessedByControl = new Map<string, AssessedResource[]>();
  for (const entry of assessed ?? []) {
    for (const control of entry.controls) {
      let list = assessedByControl.get(control.meta.id);
      if (!list) assessedByControl.set(control.meta.id, (list = []));
      list.push(entry);
    }
  }
  const plan = (id: string) => suitePlan(ruleMeta(id) as ControlMeta, findings, held, indexesByControl.get(id) ?? [], assessedByControl.get(id), report);
  // The totals go first, so each suite is planned twice (cheap: indexes only) rather than kept.
  const totals = { tests: 0, failures: 0, skipped: 0 };
  for (const id of controlIds) {
    const { tests, failures, skipped } = plan(id);
    totals.tests += tests;
    totals.failures += failures;
    totals.skipped += skipped;
  }
  const missing = notAssessedSuite(report);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="kubeharden" tests="${totals.tests + report.errors.length + missing.tests}" failures="${totals.failures}" errors="${report.errors.length + missing.errors}" skipped="${totals.skipped + missing.skipped}" time="0">\n`;
  if (report.errors.length > 0) yield inputErrorSuite(report);
  if (missing.tests > 0) yield missing.xml;
  for (const id of controlIds) yield* suite(plan(id), findings, held, report);
  yield '</testsuites>\n';
}

function suitePlan(meta: ControlMeta, findings: FindingList, held: HeldEntries, indexes: readonly number[], assessed: readonly AssessedResource[] | undefined, report: Report): SuitePlan {
  const { store } = findings;
  const groups = new Map<number, number[]>();
  for (const index of indexes) {
    const resource = held.get(index).resource;
    let group = groups.get(resource);
    if (!group) groups.set(resource, (group = []));
    group.push(index);
  }
  let failures = 0;
  let skipped = 0;
  for (const group of groups.values()) {
    if (group.some((index) => !store.isSuppressed(held.get(index)))) failures++;
    else skipped++;
  }
  const passed: AssessedResource[] = [];
  let passedCount = 0;
  if (assessed && !isCrossResource(meta.id)) {
    for (const entry of assessed) {
      const id = store.resourceIdOf(entry.file, entry.resource);
      if (id === undefined || !groups.has(id)) passed.push(entry);
    }
  } else {
    const score = report.summary.score.controls.find((control) => control.id === meta.id);
    // Scores count accepted risks as passed; here they are already skipped cases, so they must not pass twice.
    passedCount = Math.max(0, (score ? score.passed : 0) - skipped);
  }
  return { meta, groups, passed, passedCount, tests: groups.size + passed.length + (passedCount > 0 ? 1 : 0), failures, skipped };
}

function* suite(plan: SuitePlan, findings: FindingList, held: HeldEntries, report: Report): Generator<string> {
  const { meta } = plan;
  const score = report.summary.score.controls.find((control) => control.id === meta.id);
  yield `  <testsuite name="${xmlAttribute(`${meta.id}: ${meta.title}`)}" tests="${plan.tests}" failures="${plan.failures}" errors="0" skipped="${plan.skipped}" time="0">\n` +
    '    <properties>\n' +
    `      <property name="severity" value="${meta.severity}"/>\n` +
    `      <property name="nsaSection" value="${xmlAttribute(meta.nsaSection)}"/>\n` +
    (meta.pss ? `      <property name="pss" value="${xmlAttribute(`${meta.pss.level}/${meta.pss.check}`)}"/>\n` : '') +
    (score?.score !== null && score?.score !== undefined ? `      <property name="score" value="${score.score}"/>\n` : '') +
    '    </properties>\n';
  for (const group of plan.groups.values()) {
    const members = group.map((index) => findings.finding(held.get(index)));
    const first = members[0] as ReportFinding;
    yield testCase(meta, { name: resourceName(first.resource), file: first.location.templateSource ?? first.location.file, ...(hasLine(first.location) ? { line: first.location.line } : {}), findings: members });
  }
  for (const entry of plan.passed) yield testCase(meta, { name: resourceName(entry.resource), file: entry.file, findings: [] });
  if (plan.passedCount > 0) {
    const passed = plan.passedCount;
    yield testCase(meta, { name: `${passed} other ${passed === 1 ? 'resource' : 'resources'} passed`, file: '', findings: [], passedCount: passed });
  }
  yield '  </testsuite>\n';
}

function testCase(meta: ControlMeta, item: Case): string {
  const attributes = `name="${xmlAttribute(item.name)}" classname="${xmlAttribute(`kubeharden.${meta.id}`)}" file="${xmlAttribute(item.file)}"${item.line !== undefined ? ` line="${item.line}"` : ''} time="0"`;
  const open = item.findings.filter((finding) => !finding.suppression);
  if (open.length > 0) {
    return `    <testcase ${attributes}>\n      <failure message="${xmlAttribute(open[0]?.message ?? '')}" type="${meta.severity}">${xmlText(failureDetail(meta, open))}</failure>\n    </testcase>\n`;
  }
  if (item.findings.length > 0) {
    const suppression = item.findings[0]?.suppression;
    return `    <testcase ${attributes}>\n      <skipped message="${xmlAttribute(`exception: ${suppression?.reason ?? ''} (${suppression?.source ?? ''})`)}"/>\n    </testcase>\n`;
  }
  return `    <testcase ${attributes}/>\n`;
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

