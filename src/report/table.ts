import { locationText } from './location.js';
import { inputErrorLocation } from '../loader/source.js';
import { scopeText } from './scope-text.js';
import { describeEvent } from './event-line.js';
import type { Finding } from '../engine/finding.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import type { Palette } from './color.js';
import { atOrAbove, findingsOf, type Report } from './report.js';

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
  return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}

function locationLabel(finding: Finding): string {
  const { templateSource } = finding.location;
  return `${locationText(finding.location)}${templateSource ? ` (${templateSource})` : ''}`;
}

function targetLine(report: Report): string {
  const target = report.target;
  if (!target) return '';
  if (target.kind === 'node') return `Node configuration under ${target.name}`;
  if (target.kind === 'audit-log') return `Audit logs: ${target.name}`;
  if (target.kind === 'audit-policy') return `Audit policies: ${target.name}`;
  const version =
    target.versionSource === 'server'
      ? `judged as Kubernetes ${report.kubernetesVersion}, the server's version (${target.serverVersion ?? '?'})`
      : `judged as Kubernetes ${report.kubernetesVersion} (--k8s-version; the server runs ${target.serverVersion ?? 'an unknown version'})`;
  return `Cluster ${target.name}${target.context ? ` (context ${target.context})` : ''}: ${version}, ${target.requests ?? 0} API requests`;
}

/** Human-readable report: findings grouped by resource, each with where, what and how to fix it. */
export function renderTable(report: Report, colors: Palette): string {
  return [...renderTableChunks(report, colors)].join('');
}

/** Findings written before the lines are handed on, so the table never holds them all. */
const FINDINGS_PER_CHUNK = 500;

/** The table in pieces: the findings are read one at a time, never all held. */
export function* renderTableChunks(report: Report, colors: Palette): Generator<string> {
  let lines: string[] = [];
  const { summary } = report;
  lines.push(
    colors.bold(`${report.tool.name} ${report.tool.version}`) +
      colors.gray(` · Kubernetes ${report.kubernetesVersion} · framework ${report.framework} · ${summary.controls.run.length} controls`),
    ...(report.target ? [colors.gray(targetLine(report))] : []),
    '',
  );

  let currentGroup = '';
  const findings = findingsOf(report);
  const open = findings.open();
  const suppressed = findings.suppressed();
  let written = 0;
  for (const finding of open) {
    if (++written % FINDINGS_PER_CHUNK === 0) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
    const group = `${finding.location.file}\u0000${resourceLabel(finding)}`;
    if (group !== currentGroup) {
      if (currentGroup !== '') lines.push('');
      currentGroup = group;
      lines.push(`${colors.bold(resourceLabel(finding))}  ${colors.gray(finding.location.file)}`);
    }
    const label = SEVERITY_LABEL[finding.severity].padEnd(8);
    const isNew = finding.baseline === 'new' ? colors.yellow(' (new)') : '';
    lines.push(
      `  ${severityColor(colors, finding.severity)(label)} ${colors.bold(finding.controlId)}${isNew}  ${colors.gray(locationLabel(finding))}`,
      `           ${finding.message}`,
      ...(finding.event ? [colors.gray(`           event: ${describeEvent(finding.event)}`)] : []),
      colors.gray(`           field: ${finding.field}`),
      colors.gray(`           fix:   ${finding.remediation}`),
    );
  }
  if (open.length > 0) lines.push('');
  if (suppressed.length > 0) {
    lines.push(colors.bold(`Accepted risks (${suppressed.length} suppressed, not counted):`));
    for (const finding of suppressed) {
      if (++written % FINDINGS_PER_CHUNK === 0) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
      lines.push(colors.gray(`  ${finding.controlId}  ${resourceLabel(finding)}  ${locationLabel(finding)}  (${finding.suppression?.reason}; ${finding.suppression?.source})`));
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
      lines.push(`  ${inputErrorLocation(error)}  ${error.message}`);
    }
    lines.push('');
  }

  if (report.notAssessed && report.notAssessed.length > 0) {
    const heading = `Not assessed (${report.notAssessed.length}): the scan could not read these, so they count neither as passed nor as failed${report.incomplete ? '; the scan is incomplete (exit 2; --allow-partial accepts it)' : ''}:`;
    lines.push(colors.bold(colors.yellow(heading)));
    for (const item of report.notAssessed) lines.push(`  ${item.what}  ${colors.gray(item.reason)}`);
    lines.push('');
  }

  if (report.baseline) {
    lines.push(`Baseline ${report.baseline.file}: ${report.baseline.new} new, ${report.baseline.unchanged} unchanged (not gated), ${report.baseline.fixed} fixed.`);
  }
  if (summary.severityFilter) {
    lines.push(colors.gray(`Showing ${summary.severityFilter.join(', ')} findings only (${summary.shown} of ${summary.findings}); the result below counts them all.`));
  }
  const counts = SEVERITIES.filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => severityColor(colors, severity)(`${summary.bySeverity[severity]} ${severity}`))
    .join(', ');
  const resourcesWithFindings = open.resourceCount();
  lines.push(
    `${scopeText(report)}.`,
  );
  if (summary.resources === 0 && summary.errors === 0 && !report.target?.kind.startsWith('audit')) {
    lines.push(colors.yellow('No Kubernetes objects found: check the paths, or pipe rendered output with `-`.'));
  }
  const suppressedNote = summary.suppressed > 0 ? ` (${summary.suppressed} more suppressed)` : '';
  lines.push(
    summary.open === 0
      ? colors.green(`No findings${suppressedNote}.`)
      : `${summary.open} ${plural(summary.open, 'finding')} in ${resourcesWithFindings} ${plural(resourcesWithFindings, 'resource')}: ${counts}${suppressedNote}.`,
  );
  if (summary.score.overall !== null) {
    lines.push(
      `Compliance score: ${colors.bold(`${summary.score.overall}%`)} (severity-weighted ${summary.score.weighted}%) over ` +
        `${summary.score.controls.filter((c) => c.status !== 'not-assessed').length} assessed controls.`,
    );
    for (const section of summary.sections.filter((s) => s.score !== null)) {
      lines.push(colors.gray(`  ${section.section}: ${section.score}% (weighted ${section.weightedScore}%, ${section.assessedControls} of ${section.controls} controls assessed)`));
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
  lines.push(verdictLine(report, colors));
  yield `${lines.join('\n')}\n`;
}

function verdictLine(report: Report, colors: Palette): string {
  const { summary } = report;
  if (report.errors.length > 0) {
    return colors.red(`Result: INCOMPLETE: ${summary.errors} ${plural(summary.errors, 'input')} could not be read (exit code 2).`);
  }
  if (summary.failOn === 'none') return colors.gray('Result: not gated (--fail-on none).');
  if (summary.failing > 0) {
    const newOnes = report.baseline ? ' new' : '';
    return colors.red(`Result: FAIL: ${summary.failing}${newOnes} ${plural(summary.failing, 'finding')} at or above ${summary.failOn} (--fail-on ${summary.failOn}).`);
  }
  const findings = findingsOf(report);
  const below = findings.count((index) => !findings.store.suppressedAt(index) && !atOrAbove(findings.severityAt(index), summary.failOn));
  return colors.green(`Result: PASS: nothing at or above ${summary.failOn}${below > 0 ? ` (${below} below the threshold)` : ''}.`);
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
