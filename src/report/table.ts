import { locationText } from './location.js';
import { scopeText } from './scope-text.js';
import { describeEvent } from './event-line.js';
import { inputErrorText, terminalText } from './terminal-text.js';
import type { Finding } from '../vocabulary/finding.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../vocabulary/severity.js';
import { alignColumns } from '../util/columns.js';
import type { Palette } from './color.js';
import { findingsOf, verdict, type Report, type Verdict, type VerdictStatus } from './report.js';

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFO',
};

function severityColor(colors: Palette, severity: Severity): (text: string) => string {
  if (severity === 'critical') return (text) => colors.bold(colors.red(text));
  if (severity === 'high') return colors.red;
  if (severity === 'medium') return colors.yellow;
  if (severity === 'low') return colors.blue;
  return colors.gray;
}

function resourceLabel(finding: Finding): string {
  const { kind, namespace, name } = finding.resource;
  return terminalText(`${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`);
}

/** One resource as the table groups it: its file and its kind, namespace and name. */
function resourceKey(finding: Finding): string {
  return `${finding.location.file}\u0000${resourceLabel(finding)}`;
}

function locationLabel(finding: Finding): string {
  const { templateSource } = finding.location;
  return terminalText(`${locationText(finding.location)}${templateSource ? ` (${templateSource})` : ''}`);
}

function targetLine(report: Report): string {
  const target = report.target;
  if (!target) return '';
  if (target.kind === 'node') return `Node configuration under ${target.name}${target.versionDetail ? `: judged as ${target.versionDetail}` : ''}`;
  if (target.kind === 'audit-log') return `Audit logs: ${target.name}`;
  if (target.kind === 'audit-policy') return `Audit policies: ${target.name}`;
  if (target.kind === 'netpol-flows') return `Observed flows: ${target.name}, against the NetworkPolicies`;
  const version =
    target.versionSource === 'server'
      ? `judged as Kubernetes ${report.kubernetesVersion}, the server's version (${target.serverVersion ?? '?'})`
      : `judged as Kubernetes ${report.kubernetesVersion} (--k8s-version; the server runs ${target.serverVersion ?? 'an unknown version'})`;
  return `Cluster ${target.name}${target.context ? ` (context ${target.context})` : ''}: ${version}, ${target.requests ?? 0} API requests`;
}

/** Findings written before the lines are handed on, so the table never holds them all. */
const FINDINGS_PER_CHUNK = 500;

/**
 * Human-readable report: findings grouped by resource, each with where, what and how to fix it; in pieces, the
 * findings read one at a time, never all held.
 */
export function* renderTableChunks(report: Report, colors: Palette): Generator<string> {
  let lines: string[] = [];
  const { summary } = report;
  const outcome = verdict(report);
  lines.push(
    colors.bold(`${report.tool.name} ${report.tool.version}`) +
      colors.gray(` · Kubernetes ${report.kubernetesVersion} · framework ${report.framework} · ${summary.controls.run.length} ${plural(summary.controls.run.length, 'control')}`),
    ...(report.target ? [colors.gray(targetLine(report))] : []),
    '',
  );

  let currentGroup = '';
  // Each resource's findings together, the resource with the most severe finding first.
  const findings = findingsOf(report);
  const open = findings.open().groupedByResource();
  const suppressed = findings.suppressed();
  let written = 0;
  // The summary by control at the end is counted on the way: findings of a resource come together, so a control's
  // resources are counted by the controls seen in the current resource alone.
  const perControl = new Map<string, ControlTally>();
  let controlsInGroup = new Set<string>();
  let resourcesWithFindings = 0;
  let currentResource = -1;
  for (const entry of open.entries()) {
    const finding = open.finding(entry);
    if (entry.resource !== currentResource) {
      currentResource = entry.resource;
      controlsInGroup = new Set();
      resourcesWithFindings++;
    }
    if (++written % FINDINGS_PER_CHUNK === 0) {
      yield `${lines.map((line) => terminalText(line, colors.enabled)).join('\n')}\n`;
      lines = [];
    }
    const group = resourceKey(finding);
    if (group !== currentGroup) {
      if (currentGroup !== '') lines.push('');
      currentGroup = group;
      lines.push(`${colors.bold(resourceLabel(finding))}  ${colors.gray(terminalText(finding.location.file))}`);
    }
    const label = SEVERITY_LABEL[finding.severity].padEnd(8);
    const isNew = finding.baseline === 'new' ? colors.yellow(' (new)') : '';
    lines.push(
      `  ${severityColor(colors, finding.severity)(label)} ${colors.bold(finding.controlId)}${isNew}  ${colors.gray(locationLabel(finding))}`,
      `           ${terminalText(finding.message)}`,
      ...(finding.event ? [colors.gray(`           event: ${describeEvent(finding.event)}`)] : []),
      colors.gray(`           field: ${terminalText(finding.field)}`),
      colors.gray(`           fix:   ${finding.remediation}`),
    );
    tally(perControl, finding, !controlsInGroup.has(finding.controlId));
    controlsInGroup.add(finding.controlId);
  }
  if (written > 0) lines.push('');
  if (suppressed.length > 0) {
    lines.push(colors.bold(`Accepted risks (${suppressed.length} suppressed, not counted):`));
    for (const finding of suppressed) {
      if (++written % FINDINGS_PER_CHUNK === 0) {
        yield `${lines.map((line) => terminalText(line, colors.enabled)).join('\n')}\n`;
        lines = [];
      }
      lines.push(colors.gray(`  ${finding.controlId}  ${resourceLabel(finding)}  ${locationLabel(finding)}  (${terminalText(`${finding.suppression?.reason}; ${finding.suppression?.source}`)})`));
    }
    lines.push('');
  }
  const stale = report.exceptions.filter((exception) => exception.status !== 'applied');
  if (stale.length > 0) {
    lines.push(colors.bold(colors.yellow(`Exceptions to review (${stale.length}):`)));
    for (const exception of stale) {
      const what = `${exception.controls.join(',')} on ${exception.match}`;
      lines.push(
        exception.status === 'expired'
          ? colors.yellow(`  ${exception.source}  expired ${exception.expires}: ${what}; ${exception.findings} ${plural(exception.findings, 'finding')} count again`)
          : colors.gray(`  ${exception.source}  unused: ${what} matched nothing`),
      );
    }
    lines.push('');
  }

  if (report.errors.length > 0) {
    lines.push(colors.bold(colors.red(`Input errors (${report.errors.length}):`)));
    for (const error of report.errors) {
      lines.push(`  ${inputErrorText(error, '  ')}`);
    }
    lines.push('');
  }

  if (report.notices && report.notices.length > 0) {
    lines.push(colors.bold(`Notices (${report.notices.length}): left out on purpose, not errors:`));
    for (const notice of report.notices) lines.push(`  ${inputErrorText(notice, '  ')}`);
    lines.push('');
  }

  if (report.notAssessed && report.notAssessed.length > 0) {
    const heading = `Not assessed (${report.notAssessed.length}): the scan could not read these, so they count neither as passed nor as failed${report.incomplete ? '; the scan is incomplete (--allow-partial accepts that)' : ''}:`;
    lines.push(colors.bold(colors.yellow(heading)));
    for (const item of report.notAssessed) lines.push(`  ${item.what}  ${colors.gray(item.reason)}`);
    lines.push('');
  }

  lines.push(...controlSummary(perControl, colors));

  if (report.baseline?.ref !== undefined) {
    lines.push(`Compared with ${report.baseline.ref}: ${report.baseline.new} introduced, ${report.baseline.fixed} fixed, ${report.baseline.unchanged} unchanged (not gated).`);
  } else if (report.baseline) {
    lines.push(`Baseline ${report.baseline.file}: ${report.baseline.new} new, ${report.baseline.unchanged} unchanged (not gated), ${report.baseline.fixed} fixed.`);
  }
  if (summary.severityFilter) {
    lines.push(colors.gray(`Showing ${summary.severityFilter.join(', ')} findings only (${summary.shown} of ${summary.findings}); the result below counts them all.`));
  }
  const counts = SEVERITIES.filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => severityColor(colors, severity)(`${summary.bySeverity[severity]} ${severity}`))
    .join(', ');
  lines.push(
    `${scopeText(report)}.`,
  );
  // A hint for manifest scans; a cluster that listed nothing says why under "Not assessed".
  if (summary.resources === 0 && summary.errors === 0 && !report.target && !report.notices?.length) {
    lines.push(colors.yellow('No Kubernetes objects found: check the paths, or pipe rendered output with `-`.'));
  }
  const suppressedNote = summary.suppressed > 0 ? ` (${summary.suppressed} more suppressed)` : '';
  // Resources are counted from the findings shown: under --severity that is not every open finding, so not said.
  const resourcesText = summary.severityFilter ? '' : ` in ${resourcesWithFindings} ${plural(resourcesWithFindings, 'resource')}`;
  lines.push(
    summary.open === 0
      ? outcome.complete
        ? colors.green(`No findings${suppressedNote}.`)
        : `No findings in what could be read${suppressedNote}.`
      : `${summary.open} ${plural(summary.open, 'finding')}${resourcesText}: ${counts}${suppressedNote}.`,
  );
  if (summary.score.overall !== null) {
    const assessed = summary.score.controls.filter((c) => c.status !== 'not-assessed').length;
    lines.push(
      `Compliance score: ${colors.bold(`${summary.score.overall}%`)} (severity-weighted ${summary.score.weighted}%) over ` +
        `${assessed} assessed ${plural(assessed, 'control')}.`,
    );
    for (const section of summary.sections.filter((s) => s.score !== null)) {
      lines.push(colors.gray(`  ${section.section}: ${section.score}% (weighted ${section.weightedScore}%, ${section.assessedControls} of ${section.controls} ${plural(section.controls, 'control')} assessed)`));
    }
  }
  const notAssessed = summary.score.controls.filter((control) => control.status === 'not-assessed').map((control) => control.id);
  if (notAssessed.length > 0 && summary.resources > 0) {
    lines.push(colors.gray(`Not assessed (nothing in the input for them to judge, so not counted as passed): ${notAssessed.join(', ')}.`));
  }
  const notYet = summary.controls.skipped.filter((skip) => skip.reason.startsWith('applies '));
  if (notYet.length > 0) {
    lines.push(colors.gray(`Not in Kubernetes ${report.kubernetesVersion}: ${notYet.map((skip) => `${skip.id} (${skip.reason})`).join(', ')}.`));
  }
  const notRun = summary.controls.skipped.filter((skip) => !skip.reason.startsWith('applies ') && !skip.reason.startsWith('replaced by'));
  // Controls left out for the same reason are listed once under it: twelve kubelet checks share one explanation.
  const byReason = new Map<string, string[]>();
  for (const skip of notRun) byReason.set(skip.reason, [...(byReason.get(skip.reason) ?? []), skip.id]);
  for (const [reason, ids] of byReason) lines.push(colors.gray(`Not run (${reason}): ${ids.join(', ')}.`));
  lines.push(verdictLine(outcome, colors));
  // Values were neutralised before they were coloured; this catches any that a line took in raw.
  yield `${lines.map((line) => terminalText(line, colors.enabled)).join('\n')}\n`;
}

const VERDICT_COLOR: Record<VerdictStatus, 'green' | 'red' | 'yellow'> = { pass: 'green', fail: 'red', errors: 'red', incomplete: 'yellow', 'not-gated': 'yellow' };

function verdictLine({ status, text, exitCode }: Verdict, colors: Palette): string {
  return colors.bold(colors[VERDICT_COLOR[status]](`Result: ${text}; exit code ${exitCode}.`));
}

/** Controls listed in the summary at the end; the rest are counted in one line, so it fits one screen. */
const SUMMARY_CONTROLS = 20;

/** What the summary says of one control: its worst severity, its findings and resources, its first finding's title. */
interface ControlTally {
  severity: Severity;
  title: string;
  findings: number;
  resources: number;
}

function tally(perControl: Map<string, ControlTally>, finding: Finding, newResource: boolean): void {
  let entry = perControl.get(finding.controlId);
  if (!entry) perControl.set(finding.controlId, (entry = { severity: finding.severity, title: finding.title, findings: 0, resources: 0 }));
  if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[entry.severity]) entry.severity = finding.severity;
  entry.findings++;
  if (newResource) entry.resources++;
}

/** Open findings per control, most severe first, then the most frequent: what to fix first, at a glance. */
function controlSummary(perControl: ReadonlyMap<string, ControlTally>, colors: Palette): string[] {
  if (perControl.size === 0) return [];
  const ranked = [...perControl].sort(
    ([idA, a], [idB, b]) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.findings - a.findings || (idA < idB ? -1 : idA > idB ? 1 : 0),
  );
  const shown = ranked.slice(0, SUMMARY_CONTROLS);
  const rows = alignColumns(
    shown.map(([id, entry]) => [
      id,
      `${entry.findings} ${plural(entry.findings, 'finding')}`,
      `in ${entry.resources} ${plural(entry.resources, 'resource')}`,
      entry.title,
    ]),
  );
  const lines = [
    colors.bold(`Open findings by control (${perControl.size} ${plural(perControl.size, 'control')}):`),
    ...shown.map(([, entry], index) => `  ${severityColor(colors, entry.severity)(SEVERITY_LABEL[entry.severity].padEnd(8))} ${rows[index]}`),
  ];
  const rest = ranked.slice(SUMMARY_CONTROLS);
  if (rest.length > 0) {
    const findings = rest.reduce((sum, [, entry]) => sum + entry.findings, 0);
    lines.push(colors.gray(`  … and ${rest.length} more ${plural(rest.length, 'control')} with ${findings} ${plural(findings, 'finding')}`));
  }
  return [...lines, ''];
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
