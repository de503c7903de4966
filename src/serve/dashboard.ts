/**
 * The read-only dashboard, rendered on the server from the history: the fleet (the clusters this dashboard shows,
 * see dashboard-clusters.ts, that the reader may see, and their scores over time; any other cluster of the database
 * is a 404), one cluster (score over time, open findings by namespace and by control), a list of
 * findings, and one resource (its findings, their remediation and history). Plain HTML and inline SVG: the page
 * loads nothing from anywhere, runs no script, and every value is escaped.
 */
import type { FindingRow, History, ScoreRow } from './store/history.js';
import { DashboardClusters } from './dashboard-clusters.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:10px 24px}header a{color:#fff;text-decoration:none;font-weight:600}
main{padding:16px 24px;max-width:1200px}h1{font-size:20px;margin:8px 0 12px}h2{font-size:16px;margin:20px 0 8px}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:12px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e6eb;vertical-align:top}
th{background:#eef0f4;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;color:#fff}.critical{background:#7a0019}.high{background:#c0392b}.medium{background:#d68910}.low{background:#2e86c1}.info{background:#7f8c8d}
.muted{color:#5d6675}.chart{background:#fff;border:1px solid #e3e6eb}.legend span{margin-right:14px}.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
code{background:#eef0f4;padding:0 3px;border-radius:3px}pre{background:#eef0f4;padding:8px;white-space:pre-wrap}
`;

const COLORS = ['#2e86c1', '#c0392b', '#27ae60', '#8e44ad', '#d68910', '#16a085', '#2c3e50'];

export class Dashboard {
  constructor(
    private readonly history: History,
    /** The cluster this agent watches: the link from the fleet page. */
    private readonly ownCluster: string,
    private readonly shown: DashboardClusters = DashboardClusters.ownOnly(ownCluster),
  ) {}

  /**
   * The page for a URL, or undefined (404). `mayView` says whether the reader may see another cluster than this
   * agent's (off the loopback interface RBAC decides, see access.ts); one they may not is a 404, as one the
   * dashboard does not show.
   */
  async page(url: URL, mayView: (cluster: string) => Promise<boolean> = () => Promise.resolve(true)): Promise<string | undefined> {
    const parts = url.pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
    if (parts.length === 0) return this.fleet(mayView);
    if (parts[0] !== 'clusters' || parts[1] === undefined) return undefined;
    const cluster = parts[1];
    // Not shown at all: answered without asking the database or the API server.
    const known = this.shown.shows(cluster) && (await this.history.clusters()).some((row) => row.name === cluster) && (await this.sees(cluster, mayView));
    if (!known) return undefined;
    if (parts.length === 2) return this.cluster(cluster);
    if (parts.length === 3 && parts[2] === 'findings') return this.findingList(cluster, url.searchParams);
    if (parts.length === 3 && parts[2] === 'resource') return this.resource(cluster, url.searchParams);
    return undefined;
  }

  /** Does this dashboard show the cluster, and may the reader see it? Its own cluster needs no more asking. */
  private async sees(cluster: string, mayView: (cluster: string) => Promise<boolean>): Promise<boolean> {
    return this.shown.shows(cluster) && (cluster === this.ownCluster || (await mayView(cluster)));
  }

  private async fleet(mayView: (cluster: string) => Promise<boolean>): Promise<string> {
    const clusters = [];
    for (const cluster of await this.history.clusters()) if (await this.sees(cluster.name, mayView)) clusters.push(cluster);
    const visible = new Set(clusters.map((cluster) => cluster.name));
    const scores = (await this.history.scores()).filter((row) => visible.has(row.cluster));
    const latest = new Map<string, ScoreRow>();
    for (const row of scores) latest.set(row.cluster, row);
    const rows = clusters.map((cluster) => {
      const score = latest.get(cluster.name);
      return `<tr><td><a href="/clusters/${encodeURIComponent(cluster.name)}">${escapeHtml(cluster.name)}</a>${cluster.name === this.ownCluster ? ' <span class="muted">(this agent)</span>' : ''}</td><td>${escapeHtml(cluster.version)}</td><td class="n">${formatScore(score?.overall ?? null)}</td><td class="n">${formatScore(score?.weighted ?? null)}</td><td class="n">${score?.openFindings ?? ''}</td><td>${formatTime(cluster.lastSeen)}</td></tr>`;
    });
    const body = `<h1>Fleet</h1>
<h2>Scores over time</h2>${scoreChart(scores, clusters.map((cluster) => cluster.name))}
<h2>Clusters</h2>
<p class="muted" id="shown">This dashboard shows ${escapeHtml(this.shown.describe())}.</p>
<table id="clusters"><thead><tr><th>cluster</th><th>version</th><th>score</th><th>weighted</th><th>open findings</th><th>last seen</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    return layout('Fleet', body);
  }

  private async cluster(cluster: string): Promise<string> {
    const scores = await this.history.scores(cluster);
    const byNamespace = await this.history.countBy(cluster, 'namespace');
    const byControl = await this.history.countBy(cluster, 'control_id');
    const bySeverity = await this.history.countBy(cluster, 'severity');
    const link = (query: Record<string, string>) => `/clusters/${encodeURIComponent(cluster)}/findings?${new URLSearchParams(query).toString()}`;
    const namespaces = byNamespace.map(({ value, count }) => `<tr><td><a href="${escapeHtml(link({ namespace: value ?? '' }))}">${value === null ? '<span class="muted">(cluster-scoped)</span>' : escapeHtml(value)}</a></td><td class="n">${count}</td></tr>`);
    const controls = byControl.map(({ value, count }) => `<tr><td><a href="${escapeHtml(link({ control: value ?? '' }))}">${escapeHtml(value ?? '')}</a></td><td class="n">${count}</td></tr>`);
    const latest = scores.at(-1);
    const body = `<h1>Cluster ${escapeHtml(cluster)}</h1>
<p>Score <strong id="score">${formatScore(latest?.overall ?? null)}</strong> (weighted ${formatScore(latest?.weighted ?? null)}), ${latest?.openFindings ?? 0} open findings: ${bySeverity.map(({ value, count }) => `<span class="sev ${escapeHtml(value ?? '')}">${escapeHtml(value ?? '')} ${count}</span>`).join(' ')}</p>
<h2>Score over time</h2>${scoreChart(scores, [cluster])}
<div class="cols"><div><h2>Open findings by namespace</h2><table id="by-namespace"><thead><tr><th>namespace</th><th>findings</th></tr></thead><tbody>${namespaces.join('')}</tbody></table></div>
<div><h2>Open findings by control</h2><table id="by-control"><thead><tr><th>control</th><th>findings</th></tr></thead><tbody>${controls.join('')}</tbody></table></div></div>`;
    return layout(`Cluster ${cluster}`, body, cluster);
  }

  private async findingList(cluster: string, query: URLSearchParams): Promise<string> {
    const namespace = query.get('namespace');
    const control = query.get('control');
    const rows = await this.history.findings({ cluster, ...(namespace !== null && namespace !== '' ? { namespace } : {}), ...(control !== null && control !== '' ? { controlId: control } : {}), limit: 2000 });
    const shown = namespace === '' ? rows.filter((row) => row.namespace === null) : rows;
    const title = [control ? `control ${control}` : '', namespace !== null ? (namespace === '' ? 'cluster-scoped' : `namespace ${namespace}`) : ''].filter((part) => part !== '').join(', ');
    const body = `<h1>Findings${title ? `: ${escapeHtml(title)}` : ''}</h1>
<table id="findings"><thead><tr><th>severity</th><th>control</th><th>resource</th><th>field</th><th>message</th><th>first seen</th></tr></thead><tbody>${shown.map((row) => findingLine(cluster, row)).join('')}</tbody></table>`;
    return layout(`Findings of ${cluster}`, body, cluster);
  }

  private async resource(cluster: string, query: URLSearchParams): Promise<string> {
    const kind = query.get('kind') ?? '';
    const name = query.get('name') ?? '';
    const namespace = query.get('namespace') ?? '';
    const rows = (await this.history.findings({ cluster, kind, name, open: false, limit: 5000 })).filter((row) => (row.namespace ?? '') === namespace);
    const open = rows.filter((row) => row.resolvedAt === null);
    const resolved = rows.filter((row) => row.resolvedAt !== null);
    const item = (row: FindingRow) =>
      `<tr><td><span class="sev ${escapeHtml(row.severity)}">${escapeHtml(row.severity)}</span></td><td>${escapeHtml(row.controlId)}<br><span class="muted">${escapeHtml(row.title)}</span></td><td><code>${escapeHtml(row.field)}</code></td><td>${escapeHtml(row.message)}${row.accepted ? ' <span class="muted">(accepted)</span>' : ''}<br><span class="muted">Remediation:</span> ${escapeHtml(row.remediation)}</td><td>${formatTime(row.firstSeen)}</td><td>${row.resolvedAt === null ? `still open (seen ${formatTime(row.lastSeen)})` : `resolved ${formatTime(row.resolvedAt)}`}</td></tr>`;
    const head = '<thead><tr><th>severity</th><th>control</th><th>field</th><th>finding and remediation</th><th>first seen</th><th>status</th></tr></thead>';
    const body = `<h1>${escapeHtml(kind)} ${escapeHtml(namespace ? `${namespace}/` : '')}${escapeHtml(name)}</h1>
<h2>Open findings (${open.length})</h2><table id="open">${head}<tbody>${open.map(item).join('')}</tbody></table>
<h2>History: resolved findings (${resolved.length})</h2><table id="resolved">${head}<tbody>${resolved.map(item).join('')}</tbody></table>`;
    return layout(`${kind} ${name}`, body, cluster);
  }
}

function findingLine(cluster: string, row: FindingRow): string {
  const query = new URLSearchParams({ kind: row.kind, namespace: row.namespace ?? '', name: row.name ?? '' });
  const resource = `${row.kind} ${row.namespace ? `${row.namespace}/` : ''}${row.name ?? ''}`;
  return `<tr><td><span class="sev ${escapeHtml(row.severity)}">${escapeHtml(row.severity)}</span></td><td>${escapeHtml(row.controlId)}</td><td><a class="resource" href="/clusters/${encodeURIComponent(cluster)}/resource?${escapeHtml(query.toString())}">${escapeHtml(resource)}</a></td><td><code>${escapeHtml(row.field)}</code></td><td>${escapeHtml(row.message)}${row.accepted ? ' <span class="muted">(accepted)</span>' : ''}</td><td>${formatTime(row.firstSeen)}</td></tr>`;
}

/** Scores (0–100) over time as an SVG line per cluster. */
function scoreChart(rows: readonly ScoreRow[], clusters: readonly string[]): string {
  const width = 900;
  const height = 220;
  const pad = 36;
  const points = rows.filter((row) => row.overall !== null);
  if (points.length === 0) return '<p class="muted">No scores recorded yet.</p>';
  const first = Math.min(...points.map((row) => row.at));
  const last = Math.max(...points.map((row) => row.at));
  const x = (at: number) => pad + (last === first ? (width - 2 * pad) / 2 : ((at - first) / (last - first)) * (width - 2 * pad));
  const y = (score: number) => height - pad - (score / 100) * (height - 2 * pad);
  const lines = clusters.map((cluster, index) => {
    const own = points.filter((row) => row.cluster === cluster);
    if (own.length === 0) return '';
    const color = COLORS[index % COLORS.length]!;
    const path = own.map((row) => `${x(row.at).toFixed(1)},${y(row.overall as number).toFixed(1)}`).join(' ');
    const dots = own.map((row) => `<circle cx="${x(row.at).toFixed(1)}" cy="${y(row.overall as number).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeHtml(cluster)} ${formatTime(row.at)}: ${formatScore(row.overall)}</title></circle>`).join('');
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${path}"/>${dots}`;
  });
  const grid = [0, 25, 50, 75, 100].map((score) => `<line x1="${pad}" x2="${width - pad}" y1="${y(score)}" y2="${y(score)}" stroke="#e3e6eb"/><text x="4" y="${y(score) + 4}" font-size="11" fill="#5d6675">${score}</text>`).join('');
  const axis = `<text x="${pad}" y="${height - 8}" font-size="11" fill="#5d6675">${formatTime(first)}</text><text x="${width - pad}" y="${height - 8}" font-size="11" fill="#5d6675" text-anchor="end">${formatTime(last)}</text>`;
  const legend = clusters.map((cluster, index) => `<span style="color:${COLORS[index % COLORS.length]}">■</span> ${escapeHtml(cluster)}`).join(' ');
  return `<svg class="chart" role="img" aria-label="score over time" viewBox="0 0 ${width} ${height}" width="100%">${grid}${lines.join('')}${axis}</svg><p class="legend">${legend}</p>`;
}

function layout(title: string, body: string, cluster?: string): string {
  const crumb = cluster ? ` › <a href="/clusters/${encodeURIComponent(cluster)}">${escapeHtml(cluster)}</a>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · kubeharden</title><link rel="icon" href="data:,"><style>${STYLE}</style></head><body><header><a href="/">kubeharden</a>${crumb}</header><main>${body}</main></body></html>\n`;
}

function formatScore(score: number | null): string {
  return score === null ? '–' : score.toFixed(1);
}

function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
