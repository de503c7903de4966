import { locationText } from './location.js';
import { scopeText } from './scope-text.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
import { findingsOf, verdict, type Report, type ReportFinding, type VerdictStatus } from './report.js';
import { terminalText } from './terminal-text.js';

/**
 * A summary for a pull-request comment: verdict, scores and counts up front, the worst findings in a table, the
 * rest collapsed. GitHub caps comments at 65,536 characters, so long lists are cut and say so.
 */

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };
const TOP = 10;
/** Characters for each collapsed list, so the whole comment stays under GitHub's 65,536. */
const BUDGET = { findings: 32_000, suppressed: 10_000, exceptions: 8_000, errors: 4_000, notAssessed: 2_000 };
const MAX_CELL = 300;
/** Rows read for a collapsed list: more than its budget can hold (a row takes at least ~40 characters). */
const MAX_ROWS = 2_000;

export function renderMarkdown(report: Report): string {
  const { summary } = report;
  const findings = findingsOf(report);
  const open = findings.open();
  const suppressed = findings.suppressed();
  const lines: string[] = [`## ${heading(report)}`, ''];
  lines.push(
    `${report.tool.name} ${report.tool.version} · Kubernetes ${report.kubernetesVersion} · framework \`${report.framework}\` · ` +
      scopeText(report).replace(/^\w/, (first) => first.toLowerCase()),
    '',
    '| Compliance score | Weighted | Critical | High | Medium | Low | Info | Suppressed |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${percent(summary.score.overall)} | ${percent(summary.score.weighted)} | ${SEVERITIES.map((s) => summary.bySeverity[s]).join(' | ')} | ${summary.suppressed} |`,
    '',
  );
  if (report.baseline?.ref !== undefined) {
    // --diff-base: the change's own effect, in the words a reviewer uses.
    lines.push(`Compared with ${code(report.baseline.ref)}: this change introduces **${report.baseline.new}**, fixes ${report.baseline.fixed}, leaves ${report.baseline.unchanged} unchanged.`, '');
  } else if (report.baseline) {
    lines.push(`Baseline ${code(report.baseline.file)}: ${report.baseline.new} new, ${report.baseline.unchanged} unchanged, ${report.baseline.fixed} fixed.`, '');
  }
  if (summary.severityFilter) lines.push(`_Showing ${summary.severityFilter.join(', ')} findings only (${summary.shown} of ${summary.findings})._`, '');

  // With a baseline, what this change introduced comes first: that is what the reviewer must decide on. Report
  // order is already most severe first. Only as many rows as the budget could hold are read.
  const newOnes = open.where((entry) => open.isNew(entry)).take(MAX_ROWS);
  const worst = [...newOnes, ...open.where((entry) => !open.isNew(entry)).take(MAX_ROWS - newOnes.length)];
  if (worst.length > 0) {
    lines.push(`### Top findings`, '', ...findingTable(worst.slice(0, TOP)), '');
    if (open.length > TOP) lines.push(...collapsed(`All ${open.length} open findings`, findingTable(worst), BUDGET.findings, 2, open.length - worst.length));
  } else {
    // A scan that could not read everything has no reason to celebrate.
    const none = summary.findings === 0 ? (verdict(report).complete ? 'No findings. 🎉' : 'No findings in what could be read.') : 'No open findings.';
    lines.push(none, '');
  }
  const fixed = report.baseline?.fixedFindings ?? [];
  if (fixed.length > 0) {
    lines.push(
      ...collapsed(`${fixed.length} fixed by this change`, [
        '| Severity | Control | Resource | Was at | Message |',
        '|---|---|---|---|---|',
        ...fixed.slice(0, MAX_ROWS).map((f) => `| ${ICON[f.severity]} ${f.severity} | ${cell(f.controlId)} | ${cell(f.resource)} | ${code(f.location)} | ${cell(f.message)} |`),
      ], BUDGET.findings, 2, Math.max(0, fixed.length - MAX_ROWS)),
    );
  }
  if (suppressed.length > 0) {
    const shown = [...suppressed.take(MAX_ROWS)];
    lines.push(...collapsed(`${suppressed.length} suppressed findings (accepted risks)`, suppressedTable(shown), BUDGET.suppressed, 2, suppressed.length - shown.length));
  }
  const sections = summary.sections.filter((section) => section.score !== null);
  if (sections.length > 0) {
    lines.push(
      ...collapsed('Scores by NSA/CISA section', [
        '| Section | Score | Weighted | Controls assessed |',
        '|---|---:|---:|---:|',
        ...sections.map((s) => `| ${cell(s.section)} | ${percent(s.score)} | ${percent(s.weightedScore)} | ${s.assessedControls} of ${s.controls} |`),
      ]),
    );
  }
  const needAttention = report.exceptions.filter((exception) => exception.status !== 'applied');
  if (report.exceptions.length > 0) {
    lines.push(
      ...collapsed(`Exceptions: ${report.exceptions.length}${needAttention.length > 0 ? ` (${needAttention.length} unused or expired)` : ''}`, [
        '| Status | Controls | Matches | Reason | Owner | Expires | Findings | Where |',
        '|---|---|---|---|---|---|---:|---|',
        ...report.exceptions.map(
          (e) =>
            `| ${e.status} | ${cell(e.controls.join(', '))} | ${cell(e.match)} | ${cell(e.reason)} | ${cell(e.owner ?? '')} | ${e.expires ?? ''} | ${e.findings} | ${code(e.source)} |`,
        ),
      ], BUDGET.exceptions),
    );
  }
  if (report.errors.length > 0) {
    const errorLines = report.errors.map((e) => `- ${code(e.line === null ? e.file : `${e.file}:${e.line}:${e.column}`)} ${cell(e.message)}`);
    const { kept, cut } = withinBudget(errorLines, 0, BUDGET.errors);
    lines.push(`### ⚠️ ${report.errors.length} input errors`, '', ...kept, ...(cut > 0 ? [`- …and ${cut} more`] : []), '');
  }
  if (report.notAssessed && report.notAssessed.length > 0) {
    const missing = report.notAssessed.map((item) => `- ${cell(item.what)}: ${cell(item.reason)}`);
    const { kept, cut } = withinBudget(missing, 0, BUDGET.notAssessed);
    const accepted = report.incomplete ? '' : ' (accepted with --allow-partial)';
    lines.push(`### ⚠️ ${report.notAssessed.length} not assessed${accepted}`, '', 'The scan could not read these, so they count neither as passed nor as failed.', '', ...kept, ...(cut > 0 ? [`- …and ${cut} more`] : []), '');
  }
  return `${lines.join('\n')}\n`;
}

const VERDICT_ICON: Record<VerdictStatus, string> = { pass: '✅', fail: '❌', errors: '⚠️', incomplete: '⚠️', 'not-gated': 'ℹ️' };

function heading(report: Report): string {
  const { status, text } = verdict(report);
  return `${VERDICT_ICON[status]} kubeharden ${text}`;
}

function findingTable(findings: readonly ReportFinding[]): string[] {
  return [
    '| Severity | Control | Resource | Location | Finding |',
    '|---|---|---|---|---|',
    ...findings.map((f) => `| ${ICON[f.severity]} ${f.severity} | ${cell(f.controlId)} | ${cell(resource(f))} | ${code(location(f))} | ${cell(f.message)}${f.baseline === 'new' ? ' **(new)**' : ''} |`),
  ];
}

function suppressedTable(findings: readonly ReportFinding[]): string[] {
  return [
    '| Control | Resource | Reason | Where |',
    '|---|---|---|---|',
    ...findings.map((f) => `| ${cell(f.controlId)} | ${cell(resource(f))} | ${cell(f.suppression?.reason ?? '')} | ${code(f.suppression?.source ?? '')} |`),
  ];
}

/**
 * A `<details>` block; table rows past the budget are cut (the first `header` lines always stay). `unread` rows
 * were left out before rendering (past MAX_ROWS) and count as cut too.
 */
function collapsed(summaryText: string, body: string[], budget = Number.POSITIVE_INFINITY, header = 2, unread = 0): string[] {
  const budgeted = withinBudget(body, header, budget);
  const { kept } = budgeted;
  const cut = budgeted.cut + unread;
  return ['<details>', `<summary>${cell(summaryText)}</summary>`, '', ...kept, ...(cut > 0 ? ['', `_…and ${cut} more; see the full report._`] : []), '', '</details>', ''];
}

function withinBudget(lines: readonly string[], header: number, budget: number): { kept: string[]; cut: number } {
  let used = 0;
  let end = 0;
  while (end < lines.length && (end < header || used + (lines[end] as string).length + 1 <= budget)) {
    used += (lines[end] as string).length + 1;
    end++;
  }
  return { kept: lines.slice(0, end), cut: lines.length - end };
}

function resource(finding: ReportFinding): string {
  const { kind, namespace, name } = finding.resource;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}

function location(finding: ReportFinding): string {
  const { renderedFrom } = finding.location;
  // A rendered chart or overlay: the file and line that wrote the field, then what rendered it (chart, values files).
  return `${finding.location.templateSource ?? locationText(finding.location, false)}${renderedFrom ? ` (${renderedFrom})` : ''}`;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${value}%`;
}

/** A code span in a table cell: entities are not decoded there, so only backticks and pipes need care. */
export function code(text: string): string {
  return `\`${terminalText(text.replace(/[\r\n]+/g, ' ')).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/**
 * Text for a table cell: no line breaks, no column separators, no HTML (GitHub renders HTML in comments), and no
 * Markdown a resource name could smuggle in: emphasis, links, `@team` mentions and `#123` issue references, which
 * would notify people or link issues from a scanner's comment.
 */
export function cell(text: string): string {
  const short = text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
  // Control and bidi characters become visible escapes (terminal-text.ts): a comment is read in terminals and diffs too.
  return terminalText(short.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, "'")
    .replace(/[\\|*_[\]~]/g, (character) => `\\${character}`)
    // GitHub decodes entities before it links mentions and references; an invisible word joiner breaks both.
    .replace(/@(?=\w)/g, '@\u2060')
    .replace(/#(?=\d)/g, '#\u2060');
}
