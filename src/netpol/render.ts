/** The four output formats of `kubeharden netpol reach`. */
import { endpointName, type Endpoint } from './model.js';
import { alignColumns } from '../util/columns.js';
import { cellText, describeConnections, formatOpening, type ReachReport } from './report.js';
import type { Reachability } from './engine.js';
import { terminalText } from '../report/terminal-text.js';

/** Matrices wider than this many destinations are listed instead (a terminal cannot show them). */
const MATRIX_COLUMNS = 30;

export function renderTable(report: ReachReport, reachability: Reachability): string {
  const lines: string[] = [];
  const name = (index: number) => endpointName(report.endpoints.at(index) as Endpoint);
  if (report.destinations.length <= MATRIX_COLUMNS && report.sources.length > 0) {
    lines.push('Connectivity matrix (row may connect to column; "all" = every port and protocol, "-" = nothing):', '');
    const header = ['from \\ to', ...report.destinations.map((_, column) => `[${column + 1}]`)];
    const rows = report.sources.map((from) => [
      name(from),
      ...report.destinations.map((to) => (from === to ? '.' : cellText(reachability.connections(from, to)))),
    ]);
    lines.push(...alignColumns([header, ...rows], '  '));
    lines.push('', ...report.destinations.map((to, column) => `  [${column + 1}] ${name(to)}`), '');
  }
  lines.push(`Allowed connections (${report.connections.length}):`);
  for (const connection of report.connections) lines.push(`  ${connection.from} -> ${connection.to} : ${describeConnections(connection.connections)}`);
  if (report.connections.length === 0) lines.push('  none');
  lines.push('', `Unintended openings (${report.openings.length}):`);
  for (const opening of report.openings) lines.push(`  ${formatOpening(opening)}`);
  if (report.openings.length === 0) lines.push('  none');
  // Names and reasons are the input's text: one line each, nothing a terminal would act on.
  return `${lines.map((line) => terminalText(line)).join('\n')}\n`;
}


export function renderJson(report: ReachReport, reachability: Reachability, errors: readonly unknown[]): string {
  const endpoints = report.endpoints.map((endpoint, index) => ({
    name: endpointName(endpoint),
    kind: endpoint.kind,
    namespace: endpoint.namespace,
    labels: endpoint.labels,
    hostNetwork: endpoint.hostNetwork,
    isolated: { ingress: reachability.isolated(index, 'Ingress'), egress: reachability.isolated(index, 'Egress') },
  }));
  const connection = (entry: { from: string; to: string; connections: import('./connections.js').ConnectionSet }) => ({
    from: entry.from,
    to: entry.to,
    connections: entry.connections.toString(),
    ports: entry.connections.toJson(),
  });
  return `${JSON.stringify(
    {
      endpoints,
      connections: report.connections.map(connection),
      openings: report.openings.map((opening) => ({ ...connection(opening), reason: opening.reason })),
      errors,
    },
    null,
    2,
  )}\n`;
}

/** A DOT quoted string; control and bidi characters in names are shown escaped, as on the terminal. */
function dotId(text: string): string {
  return `"${terminalText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Graphviz: one node per endpoint (clustered by namespace), one edge per allowed connection. */
export function renderDot(report: ReachReport): string {
  const lines = ['digraph reachability {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  const byNamespace = new Map<string, string[]>();
  for (const endpoint of report.endpoints) {
    const list = byNamespace.get(endpoint.namespace) ?? [];
    list.push(endpointName(endpoint));
    byNamespace.set(endpoint.namespace, list);
  }
  let cluster = 0;
  for (const [namespace, names] of byNamespace) {
    lines.push(`  subgraph cluster_${cluster++} {`, `    label=${dotId(namespace)};`);
    for (const name of names) lines.push(`    ${dotId(name)};`);
    lines.push('  }');
  }
  const openings = new Set(report.openings.map((opening) => `${opening.from}\u0000${opening.to}`));
  for (const connection of report.connections) {
    const risky = openings.has(`${connection.from}\u0000${connection.to}`);
    lines.push(`  ${dotId(connection.from)} -> ${dotId(connection.to)} [label=${dotId(describeConnections(connection.connections))}${risky ? ', color=red' : ''}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One self-contained page (inline CSS, no scripts, nothing fetched), written as well-formed XHTML-compatible HTML. */
export function renderHtml(report: ReachReport, reachability: Reachability): string {
  const name = (index: number) => endpointName(report.endpoints.at(index) as Endpoint);
  const head = report.destinations.map((to, column) => `<th title="${escapeHtml(name(to))}">${column + 1}</th>`).join('');
  const rows = report.sources
    .map((from) => {
      const cells = report.destinations
        .map((to) => {
          if (from === to) return '<td class="self">·</td>';
          const text = cellText(reachability.connections(from, to));
          const kind = text === '-' ? 'none' : text === 'all' ? 'all' : 'some';
          return `<td class="${kind}" title="${escapeHtml(`${name(from)} -> ${name(to)}: ${text}`)}">${escapeHtml(text)}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${escapeHtml(name(from))}</th>${cells}</tr>`;
    })
    .join('\n');
  const legend = report.destinations.map((to, column) => `<li>${column + 1}: ${escapeHtml(name(to))}</li>`).join('');
  const openings = report.openings.map((opening) => `<li>${escapeHtml(formatOpening(opening))}</li>`).join('\n');
  const connections = report.connections
    .map((connection) => `<tr><td>${escapeHtml(connection.from)}</td><td>${escapeHtml(connection.to)}</td><td>${escapeHtml(describeConnections(connection.connections))}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>kubeharden netpol reach</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.5rem; font-size: 0.85rem; text-align: left; }
td.all { background: #ffd8d3; } td.some { background: #fff4c2; } td.none { background: #e6f4ea; color: #57606a; } td.self { background: #f6f8fa; }
h2 { margin-top: 2rem; }
</style>
</head>
<body>
<h1>Who can reach whom</h1>
<p>${report.endpoints.length} endpoints; ${report.connections.length} allowed connections; ${report.openings.length} unintended openings.</p>
<h2>Connectivity matrix</h2>
<table>
<thead><tr><th>from \\ to</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<ol class="legend">${legend}</ol>
<h2>Unintended openings</h2>
<ul>
${openings || '<li>none</li>'}
</ul>
<h2>Allowed connections</h2>
<table>
<thead><tr><th>from</th><th>to</th><th>connections</th></tr></thead>
<tbody>
${connections}
</tbody>
</table>
</body>
</html>
`;
}
