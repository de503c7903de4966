import { locationText } from './location.js';
import { scopeText } from './scope-text.js';
import { describeEvent } from './event-line.js';
/**
 * `--format html`: one self-contained page (inline CSS, inline SVG, a small static script) that makes no network
 * request. Every text taken from the report comes from untrusted manifests, so it goes through `esc` exactly once;
 * the script embeds no report data at all: it filters rows by their data attributes.
 */
import { ruleMeta } from './rule-meta.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
import type { ExceptionStatus } from '../exceptions/exception-set.js';
import type { InputError } from '../loader/source.js';
import { findingsOf, verdict, type NotAssessed, type Report, type ReportFinding } from './report.js';
import type { FindingList } from './finding-list.js';

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#8b1a1a',
  high: '#d9480f',
  medium: '#c98a00',
  low: '#2f6db5',
  info: '#6b7280',
};

/** Rows without a namespace (cluster-scoped objects) filter under this key; no valid namespace has parentheses. */
const NO_NAMESPACE = '(none)';
/** Findings the page embeds; past this it shows the most severe and points to the JSON report for the rest. */
export const HTML_MAX_FINDINGS = 10_000;


const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values alike. */
function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}

export function renderHtml(report: Report, generatedAt: Date = new Date()): string {
  const title = `${report.tool.name} report`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // An empty data: icon, so no browser asks for /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    renderHeader(report, generatedAt),
    '<main>',
    renderOverview(report),
    renderFindings(report),
    renderExceptions(report.exceptions),
    renderBaseline(report),
    renderErrors(report.errors),
    renderNotAssessed(report),
    renderControls(report),
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderHeader(report: Report, generatedAt: Date): string {
  const when = generatedAt.toISOString();
  const { status, text } = verdict(report);
  return `<header>
<div><h1>${esc(report.tool.name)} <span class="muted">${esc(report.tool.version)}</span></h1>
<p class="meta">Kubernetes ${esc(report.kubernetesVersion)} · framework ${esc(report.framework)} · generated <time datetime="${esc(when)}">${esc(when.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time></p></div>
<p class="verdict ${status}" data-testid="verdict" data-status="${status}">${esc(text)}</p>
</header>`;
}

function renderOverview(report: Report): string {
  const { summary } = report;
  const cards: [string, string, string][] = [
    ['Compliance score', percent(summary.score.overall), 'score-overall'],
    ['Weighted score', percent(summary.score.weighted), 'score-weighted'],
    ['Findings', String(summary.findings), 'count-findings'],
    ['Open', String(summary.open), 'count-open'],
    ['Suppressed', String(summary.suppressed), 'count-suppressed'],
    [summary.failOn === 'none' ? 'Failing (no threshold)' : `Failing (≥ ${summary.failOn})`, String(summary.failing), 'count-failing'],
    ['Input errors', String(summary.errors), 'count-errors'],
    ...(report.notAssessed ? [['Not assessed', String(report.notAssessed.length), 'count-not-assessed'] as [string, string, string]] : []),
  ];
  const filterNote = summary.severityFilter
    ? `<p class="note">The findings list shows only ${esc(summary.severityFilter.join(', '))} (--severity); counts and scores include every finding.</p>`
    : '';
  return `<section aria-labelledby="overview-title">
<h2 id="overview-title">Overview</h2>
<p class="meta">${esc(scopeText(report))} with ${summary.controls.run.length} ${plural(summary.controls.run.length, report.target?.kind.startsWith('audit') ? 'rule' : 'control')}.</p>
<div class="cards">${cards.map(([label, value, id]) => `<div class="card"><div class="card-value" data-testid="${id}">${esc(value)}</div><div class="card-label">${esc(label)}</div></div>`).join('')}</div>
${filterNote}
<div class="charts">
<figure>${severityDonut(summary.bySeverity)}</figure>
<figure>${controlBars(findingsOf(report))}</figure>
</div>
${renderSections(report)}
</section>`;
}

function percent(score: number | null): string {
  return score === null ? 'not assessed' : `${score}%`;
}

/** Donut of open findings by severity: one stroked circle per slice, circumference 100 so dash lengths are percents. */
function severityDonut(bySeverity: Record<Severity, number>): string {
  const total = SEVERITIES.reduce((sum, severity) => sum + bySeverity[severity], 0);
  const description = SEVERITIES.map((severity) => `${bySeverity[severity]} ${severity}`).join(', ');
  const radius = 100 / (2 * Math.PI);
  let offset = 0;
  const slices = SEVERITIES.filter((severity) => bySeverity[severity] > 0).map((severity) => {
    const length = (bySeverity[severity] / total) * 100;
    const slice = `<circle cx="21" cy="21" r="${radius.toFixed(4)}" fill="none" stroke="${SEVERITY_COLOR[severity]}" stroke-width="6" stroke-dasharray="${length.toFixed(3)} ${(100 - length).toFixed(3)}" stroke-dashoffset="${(25 - offset).toFixed(3)}"><title>${bySeverity[severity]} ${severity}</title></circle>`;
    offset += length;
    return slice;
  });
  const legend = SEVERITIES.map(
    (severity, index) =>
      `<g transform="translate(50 ${8 + index * 6.5})"><rect width="4" height="4" rx="1" fill="${SEVERITY_COLOR[severity]}"/><text x="6" y="3.6">${severity}: ${bySeverity[severity]}</text></g>`,
  ).join('');
  return `<svg class="chart donut" viewBox="0 0 90 42" role="img" aria-labelledby="donut-title donut-desc">
<title id="donut-title">Open findings by severity</title><desc id="donut-desc">${esc(description)}</desc>
<circle cx="21" cy="21" r="${radius.toFixed(4)}" fill="none" stroke="#e5e7eb" stroke-width="6"/>${slices.join('')}
<text x="21" y="21" class="donut-total" text-anchor="middle">${total}</text><text x="21" y="26" class="donut-label" text-anchor="middle">open</text>
${legend}</svg>
<figcaption>Open findings by severity</figcaption>`;
}

/** Horizontal bars: open findings per control, the most frequent first, coloured by the control's severity. */
function controlBars(findings: FindingList): string {
  const perControl = new Map<string, { count: number; severity: Severity }>();
  const { store } = findings;
  for (const found of findings.entries()) {
    if (store.isSuppressed(found)) continue;
    const entry = perControl.get(store.controlOf(found));
    if (entry) entry.count++;
    else perControl.set(store.controlOf(found), { count: 1, severity: store.severityOf(found) });
  }
  const LIMIT = 12;
  const ranked = [...perControl].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  const shown = ranked.slice(0, LIMIT);
  const max = Math.max(1, ...shown.map(([, entry]) => entry.count));
  const rowHeight = 18;
  const height = Math.max(1, shown.length) * rowHeight + 6;
  const bars = shown.map(([id, { count, severity }], index) => {
    const y = index * rowHeight + 4;
    const width = (count / max) * 260;
    return `<g><title>${esc(id)}: ${count} open (${severity})</title><text x="226" y="${y + 11}" text-anchor="end">${esc(id)}</text><rect x="232" y="${y}" width="${width.toFixed(1)}" height="13" rx="2" fill="${SEVERITY_COLOR[severity]}"/><text x="${(236 + width).toFixed(1)}" y="${y + 11}">${count}</text></g>`;
  });
  const empty = shown.length === 0 ? '<text x="8" y="16">No open findings</text>' : '';
  const more = ranked.length > LIMIT ? ` (top ${LIMIT} of ${ranked.length} controls)` : '';
  const description = shown.map(([id, entry]) => `${id} ${entry.count}`).join(', ') || 'none';
  return `<svg class="chart bars" viewBox="0 0 540 ${height}" role="img" aria-labelledby="bars-title bars-desc">
<title id="bars-title">Open findings per control${esc(more)}</title><desc id="bars-desc">${esc(description)}</desc>
${bars.join('\n')}${empty}</svg>
<figcaption>Open findings per control${esc(more)}</figcaption>`;
}

function renderSections(report: Report): string {
  const rows = report.summary.sections.map(
    (section) => `<tr><td>${esc(section.section)}</td><td class="num">${section.assessedControls} / ${section.controls}</td><td>${scoreBar(section.score)}</td><td class="num">${esc(percent(section.weightedScore))}</td></tr>`,
  );
  return `<h3>Scores by NSA/CISA section</h3>
<table class="sections"><thead><tr><th>Section</th><th>Controls assessed</th><th>Score</th><th>Weighted</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

/** A score as a labelled bar; the number is printed too, so colour is never the only cue. */
function scoreBar(score: number | null): string {
  if (score === null) return '<span class="muted">not assessed</span>';
  const tone = score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
  return `<span class="bar" role="img" aria-label="${score}%"><span class="bar-fill ${tone}" style="width:${score}%"></span></span> <span class="num">${score}%</span>`;
}

function renderFindings(report: Report): string {
  const all = findingsOf(report);
  // The most severe first (report order), at most HTML_MAX_FINDINGS: a page with millions of rows helps nobody.
  const findings = [...all.take(HTML_MAX_FINDINGS)];
  const heading = '<h2 id="findings-title">Findings</h2>';
  const cut =
    all.length > findings.length
      ? `<p class="note" data-testid="findings-cut">This page shows the ${findings.length} most severe of ${all.length} findings; the JSON report (--format json) holds all of them.</p>\n`
      : '';
  if (findings.length === 0) {
    const text = report.summary.findings === 0 ? 'No findings: every assessed control passed.' : 'No findings match the --severity display filter.';
    return `<section aria-labelledby="findings-title">${heading}<p class="empty" data-testid="no-findings">${esc(text)}</p></section>`;
  }
  return `<section aria-labelledby="findings-title">${heading}
${cut}${renderFilters(findings)}
<div class="table-wrap"><table id="findings" class="findings">
<colgroup><col style="width:9%"><col style="width:17%"><col style="width:13%"><col style="width:15%"><col style="width:14%"><col></colgroup>
<thead><tr><th>Severity</th><th>Control</th><th>Resource</th><th>Location</th><th>Field</th><th>Message</th></tr></thead>
<tbody>
${findings.map(findingRow).join('\n')}
</tbody></table></div>
<p id="no-match" class="empty" hidden>No findings match these filters.</p>
</section>
${renderRemediations(findings)}`;
}

function renderFilters(findings: readonly ReportFinding[]): string {
  const severities = countBy(findings, (finding) => finding.severity);
  const controls = countBy(findings, (finding) => finding.controlId);
  const namespaces = countBy(findings, namespaceKey);
  const severityOptions = SEVERITIES.filter((severity) => severities.has(severity)).map((severity) => option(severity, `${severity} (${severities.get(severity)})`));
  const controlOptions = [...controls.keys()].sort().map((id) => option(id, `${id} (${controls.get(id)})`));
  const namespaceOptions = [...namespaces.keys()].sort().map((ns) => option(ns, `${ns} (${namespaces.get(ns)})`));
  const hasSuppressed = findings.some((finding) => finding.suppression);
  return `<div class="filters" role="search" aria-label="Filter findings">
<label>Severity <select id="filter-severity" data-testid="filter-severity"><option value="">all</option>${severityOptions.join('')}</select></label>
<label>Control <select id="filter-control" data-testid="filter-control"><option value="">all</option>${controlOptions.join('')}</select></label>
<label>Namespace <select id="filter-namespace" data-testid="filter-namespace"><option value="">all</option>${namespaceOptions.join('')}</select></label>
<label class="grow">Search <input id="filter-text" data-testid="filter-text" type="search" placeholder="resource, field, message…" autocomplete="off"></label>
<label class="check"><input id="filter-suppressed" data-testid="filter-suppressed" type="checkbox" checked${hasSuppressed ? '' : ' disabled'}> show suppressed</label>
<button id="filter-reset" type="button">Reset</button>
<output id="visible-count" data-testid="visible-count" aria-live="polite">${findings.length} of ${findings.length} findings shown</output>
</div>`;
}

function option(value: string, label: string): string {
  return `<option value="${esc(value)}">${esc(label)}</option>`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const value = key(item);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

function namespaceKey(finding: ReportFinding): string {
  return finding.resource.namespace || NO_NAMESPACE;
}

/** One finding; cells marked `s` are what the search box matches (not the remediation, which repeats per control). */
function findingRow(finding: ReportFinding, index: number): string {
  const { resource, location, suppression } = finding;
  const resourceLabel = `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name ?? '(unnamed)'}`;
  const template = location.templateSource ? `<div class="muted s">from ${esc(location.templateSource)}</div>` : '';
  const badges = [
    suppression ? '<span class="tag suppressed-tag">suppressed</span>' : '',
    finding.baseline === 'new' ? '<span class="tag new-tag">new</span>' : '',
  ].join('');
  const suppressed = suppression
    ? `<div class="suppression">Suppressed by ${esc(suppression.kind)} at ${esc(suppression.source)}: <span class="s">${esc(suppression.reason)}</span>${suppression.owner ? ` (owner ${esc(suppression.owner)})` : ''}${suppression.expires ? ` (expires ${esc(suppression.expires)})` : ''}</div>`
    : '';
  return `<tr class="finding${suppression ? ' suppressed' : ''}" data-index="${index}" data-severity="${esc(finding.severity)}" data-control="${esc(finding.controlId)}" data-namespace="${esc(namespaceKey(finding))}" data-suppressed="${suppression ? 'true' : 'false'}">
<td><span class="sev sev-${esc(finding.severity)}">${esc(finding.severity)}</span>${badges}</td>
<td><code class="s">${esc(finding.controlId)}</code><div class="s">${esc(finding.title)}</div></td>
<td class="s">${esc(resourceLabel)}</td>
<td class="path"><span class="s">${esc(locationText(location, false))}</span>${template}</td>
<td><code class="s">${esc(finding.field)}</code></td>
<td><div class="s">${esc(finding.message)}</div>${finding.event ? `<div class="event s">${esc(describeEvent(finding.event))}</div>` : ''}${suppressed}<button type="button" class="fix" aria-expanded="false">How to fix</button></td>
</tr>`;
}

/**
 * How to fix each control that has findings, written once. A row's "How to fix" button shows a copy of its control's
 * entry: a <details> per row would add a shadow tree to each of 10,000 rows and slow the page down by about half.
 */
function renderRemediations(findings: readonly ReportFinding[]): string {
  const first = new Map<string, ReportFinding>();
  for (const finding of findings) if (!first.has(finding.controlId)) first.set(finding.controlId, finding);
  const entries = [...first.values()].map((finding) => {
    const snippet = ruleMeta(finding.controlId)?.remediation.snippet;
    return `<div class="fix-entry" id="fix-${esc(finding.controlId)}"><h3><code>${esc(finding.controlId)}</code> ${esc(finding.title)}</h3>
<div class="fix-body"><p>${esc(finding.remediation)}</p>${snippet ? `<pre><code>${esc(snippet)}</code></pre>` : ''}</div></div>`;
  });
  return `<section aria-labelledby="remediation-title"><h2 id="remediation-title">How to fix</h2>
${entries.join('\n')}</section>`;
}

function renderExceptions(exceptions: readonly ExceptionStatus[]): string {
  const heading = '<h2 id="exceptions-title">Exceptions</h2>';
  if (exceptions.length === 0) return `<section aria-labelledby="exceptions-title">${heading}<p class="muted">No exceptions or ignore annotations.</p></section>`;
  const rows = exceptions.map(
    (exception) => `<tr class="exception"><td>${esc(exception.kind)}</td><td class="path">${esc(exception.source)}</td><td><code>${esc(exception.controls.join(', '))}</code></td><td>${esc(exception.match)}</td><td>${esc(exception.reason)}</td><td>${esc(exception.owner ?? '')}</td><td>${esc(exception.expires ?? '')}</td><td><span class="tag status-${esc(exception.status)}">${esc(exception.status)}</span></td><td class="num">${exception.findings}</td></tr>`,
  );
  return `<section aria-labelledby="exceptions-title">${heading}
<table class="exceptions"><thead><tr><th>Kind</th><th>Source</th><th>Controls</th><th>Match</th><th>Reason</th><th>Owner</th><th>Expires</th><th>Status</th><th>Findings</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

function renderBaseline(report: Report): string {
  if (!report.baseline) return '';
  const { file, unchanged, fixed } = report.baseline;
  return `<section aria-labelledby="baseline-title"><h2 id="baseline-title">Baseline</h2>
<p>Compared with <code>${esc(file)}</code>: <strong>${report.baseline.new}</strong> new, ${unchanged} unchanged, ${fixed} fixed. Only new findings can fail the scan.</p></section>`;
}

function renderErrors(errors: readonly InputError[]): string {
  if (errors.length === 0) return '';
  const items = errors.map((error) => {
    const where = error.line === null ? error.file : `${error.file}:${error.line}:${error.column ?? 1}`;
    return `<li><code>${esc(where)}</code> ${esc(error.message)}</li>`;
  });
  return `<section aria-labelledby="errors-title"><h2 id="errors-title">Input errors</h2>
<p>These inputs could not be read completely, so the scan is incomplete.</p><ul class="errors">${items.join('\n')}</ul></section>`;
}

function renderNotAssessed(report: Report): string {
  const items: readonly NotAssessed[] = report.notAssessed ?? [];
  if (items.length === 0) return '';
  const rows = items.map((item) => `<li><code>${esc(item.what)}</code> ${esc(item.reason)}</li>`);
  const consequence = report.incomplete ? 'so the scan is incomplete' : 'accepted with --allow-partial';
  return `<section aria-labelledby="not-assessed-title"><h2 id="not-assessed-title">Not assessed</h2>
<p>The scan could not read these, so they count neither as passed nor as failed (${consequence}).</p><ul class="errors" data-testid="not-assessed">${rows.join('\n')}</ul></section>`;
}

/** Per-control scores and skipped controls, folded away: useful for audits, noisy for a first read. */
function renderControls(report: Report): string {
  const { score, controls } = report.summary;
  const rows = score.controls.map(
    (control) => `<tr><td><code>${esc(control.id)}</code></td><td><span class="sev sev-${esc(control.severity)}">${esc(control.severity)}</span></td><td>${esc(control.section)}</td><td class="num">${control.assessed}</td><td class="num">${control.failed}</td><td>${scoreBar(control.score)}</td></tr>`,
  );
  const skipped = controls.skipped.map((entry) => `<li><code>${esc(entry.id)}</code>: ${esc(entry.reason)}</li>`);
  return `<section aria-labelledby="controls-title"><h2 id="controls-title">Controls</h2>
<details><summary>Scores of ${score.controls.length} controls</summary>
<table class="controls"><thead><tr><th>Control</th><th>Severity</th><th>Section</th><th>Assessed</th><th>Failed</th><th>Score</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></details>
${skipped.length > 0 ? `<p>Skipped controls:</p><ul>${skipped.join('')}</ul>` : ''}</section>`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

const STYLE = `
:root{color-scheme:light;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--accent:#0b57d0}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center;padding:1rem 1.5rem;border-bottom:1px solid var(--line);background:var(--soft)}
h1{margin:0;font-size:1.5rem}
h2{font-size:1.25rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
main{padding:0 1.5rem 3rem;max-width:1400px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.85em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;overflow-x:auto}
.muted{color:var(--muted)}
.meta{margin:.25rem 0;color:var(--muted)}
.note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.5rem .75rem}
.verdict{margin:0;padding:.5rem 1rem;border-radius:6px;font-weight:700;border:2px solid}
.verdict.fail{color:#8b1a1a;background:#ffebe9;border-color:#cf222e}
.verdict.pass{color:#116329;background:#dafbe1;border-color:#2da44e}
.verdict.errors{color:#8b1a1a;background:#ffebe9;border-color:#cf222e;border-style:dashed}
.verdict.incomplete{color:#6b4a00;background:#fff8c5;border-color:#c98a00;border-style:dashed}
.verdict.not-gated{color:#424a53;background:#f3f4f6;border-color:#8c959f}
.cards{display:flex;flex-wrap:wrap;gap:.75rem}
.card{border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem;min-width:9rem}
.card-value{font-size:1.4rem;font-weight:700}
.card-label{color:var(--muted);font-size:.85rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem;margin-top:1rem}
figure{margin:0;flex:1 1 320px;max-width:600px}
figcaption{color:var(--muted);font-size:.85rem;text-align:center}
.chart{width:100%;height:auto}
.chart text{font-size:11px;fill:var(--fg)}
.donut{max-width:400px}
.donut text{font-size:4px}
.donut .donut-total{font-size:7px;font-weight:700}
.donut .donut-label{font-size:3.5px;fill:var(--muted)}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid var(--line)}
th{background:var(--soft);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.path{word-break:break-all;font-size:.85em}
.bar{display:inline-block;width:8rem;height:.7rem;background:#e5e7eb;border-radius:4px;vertical-align:middle;overflow:hidden}
.bar-fill{display:block;height:100%}
.bar-fill.good{background:#2da44e}.bar-fill.fair{background:#d4a72c}.bar-fill.poor{background:#cf222e}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;padding:.75rem;background:var(--soft);border:1px solid var(--line);border-radius:8px;position:sticky;top:0;z-index:1}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
.filters label.check{flex-direction:row;align-items:center;gap:.35rem}
.filters .grow{flex:1 1 14rem}
select,input,button{font:inherit;color:var(--fg);padding:.3rem .4rem;border:1px solid var(--line);border-radius:6px;background:var(--bg)}
button{cursor:pointer}
#visible-count{font-weight:600;margin-left:auto}
.sev{display:inline-block;padding:0 .45em;border-radius:999px;font-size:.75em;font-weight:700;text-transform:uppercase;border:1px solid}
.sev,.tag{white-space:nowrap;overflow-wrap:normal}
.sev-critical{color:#fff;background:#8b1a1a;border-color:#8b1a1a}
.sev-high{color:#9a2c00;background:#fff1e6;border-color:#d9480f}
.sev-medium{color:#6b4a00;background:#fff8c5;border-color:#c98a00}
.sev-low{color:#1a4b85;background:#ddf4ff;border-color:#2f6db5}
.sev-info{color:#424a53;background:#f3f4f6;border-color:#8c959f}
.tag{display:inline-block;margin-left:.3em;padding:0 .4em;border-radius:4px;font-size:.75em;border:1px solid var(--line);background:var(--soft)}
.suppressed-tag{border-style:dashed}
.new-tag{color:#8b1a1a;border-color:#cf222e}
.status-applied{color:#116329;border-color:#2da44e}.status-expired{color:#8b1a1a;border-color:#cf222e}.status-unused{color:var(--muted)}
tr.suppressed td{color:var(--muted);background:var(--soft)}
tr.suppressed td:first-child{border-left:3px dashed #8c959f}
.suppression{margin-top:.25rem;font-style:italic}
.event{margin-top:.25rem;font-family:ui-monospace,monospace;font-size:.85em;color:#555}
details summary{cursor:pointer;color:var(--accent)}
.table-wrap{overflow-x:auto}
table.findings{table-layout:fixed;min-width:1000px}
table.findings td{overflow-wrap:anywhere}
button.fix{margin-top:.3rem;padding:.1rem .5rem;font-size:.8rem;color:var(--accent);background:none}
button.fix[aria-expanded="true"]{background:var(--soft)}
.fix-detail p,.fix-body p{margin:.25rem 0}
.fix-entry h3{font-size:1rem;margin:1rem 0 .25rem}
.empty{padding:1rem;border:1px dashed var(--line);border-radius:8px;text-align:center;color:var(--muted)}
@media print{
  .filters,#no-match{display:none}
  .table-wrap{overflow:visible}
  table.findings{min-width:0}
  header{background:none}
  body{font-size:11px}
  .sev,.bar-fill,.verdict,.chart{print-color-adjust:exact;-webkit-print-color-adjust:exact}
  tr{break-inside:avoid}
  button.fix,.fix-detail{display:none}
}
`;

/** Filters rows by their data attributes; it holds no report data, so nothing in it needs escaping. */
const SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('findings');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr.finding'));
  var byId = function (id) { return document.getElementById(id); };
  var severity = byId('filter-severity'), control = byId('filter-control'), namespace = byId('filter-namespace');
  var text = byId('filter-text'), suppressed = byId('filter-suppressed'), count = byId('visible-count'), noMatch = byId('no-match');
  // Search text per row, gathered on first use: reading textContent of 10,000 rows up front would slow the first paint.
  var haystacks = new Array(rows.length);
  function haystack(i) {
    if (haystacks[i] === undefined) {
      var parts = rows[i].querySelectorAll('.s'), words = [];
      for (var j = 0; j < parts.length; j++) words.push(parts[j].textContent);
      haystacks[i] = words.join(' ').toLowerCase();
    }
    return haystacks[i];
  }
  function apply() {
    var sev = severity.value, ctl = control.value, ns = namespace.value;
    var query = text.value.trim().toLowerCase(), showSuppressed = suppressed.checked, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var data = rows[i].dataset;
      var visible = (!sev || data.severity === sev) && (!ctl || data.control === ctl) && (!ns || data.namespace === ns) &&
        (showSuppressed || data.suppressed !== 'true') && (!query || haystack(i).indexOf(query) !== -1);
      if (rows[i].hidden === visible) rows[i].hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' findings shown';
    noMatch.hidden = shown > 0;
  }
  [severity, control, namespace, suppressed].forEach(function (element) { element.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  // "How to fix" opens, below the message, a copy of the control's entry from the "How to fix" section.
  table.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button.fix');
    if (!button) return;
    var open = button.getAttribute('aria-expanded') === 'true';
    var detail = button.nextElementSibling;
    if (open) {
      if (detail) detail.hidden = true;
    } else if (detail) {
      detail.hidden = false;
    } else {
      var source = byId('fix-' + button.closest('tr').dataset.control);
      detail = document.createElement('div');
      detail.className = 'fix-detail';
      if (source) detail.appendChild(source.querySelector('.fix-body').cloneNode(true));
      button.after(detail);
    }
    button.setAttribute('aria-expanded', String(!open));
  });
  byId('filter-reset').addEventListener('click', function () {
    severity.value = control.value = namespace.value = text.value = '';
    suppressed.checked = true;
    apply();
  });
  apply();
})();
`;
