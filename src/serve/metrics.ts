/**
 * `/metrics` in Prometheus' text exposition format (version 0.0.4), written here: gauges of open findings by
 * control, severity and namespace, scores, objects and watch lag per kind, and histograms of evaluation time and
 * of the time from a change's event to its results being written.
 */
import type { Agent, Settled } from './agent.js';

/** Seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class Histogram {
  private readonly counts = new Array<number>(BUCKETS.length).fill(0);
  private sum = 0;
  private count = 0;

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) this.counts[index]!++;
    });
  }

  lines(name: string, labels: Readonly<Record<string, string>>): string[] {
    const lines = BUCKETS.map((bound, index) => sample(`${name}_bucket`, { ...labels, le: String(bound) }, this.counts[index]!));
    lines.push(sample(`${name}_bucket`, { ...labels, le: '+Inf' }, this.count));
    lines.push(sample(`${name}_sum`, labels, this.sum));
    lines.push(sample(`${name}_count`, labels, this.count));
    return lines;
  }
}

/** What /metrics shows of one agent; fed by the agent's batches. */
export class Metrics {
  readonly evaluation = new Histogram();
  readonly eventToReport = new Histogram();
  batches = 0;

  constructor(
    private readonly agent: Agent,
    private readonly cluster: string,
  ) {
    agent.onSettled((event: Settled) => {
      this.batches++;
      this.evaluation.observe(event.stats.ms / 1000);
      if (!event.initial && event.lagMs > 0) this.eventToReport.observe(event.lagMs / 1000);
    });
  }

  render(now = Date.now()): string {
    const cluster = { cluster: this.cluster };
    const out: string[] = [];
    const family = (name: string, type: 'gauge' | 'counter' | 'histogram', help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    family('kubeharden_ready', 'gauge', 'Whether every kind has been listed and judged once (1) or not yet (0).', [sample('kubeharden_ready', cluster, this.agent.isReady ? 1 : 0)]);
    const counts = new Map<string, { labels: Record<string, string>; count: number }>();
    for (const finding of this.agent.findings().values()) {
      if (finding.suppression) continue;
      const labels = { ...cluster, control: finding.controlId, severity: finding.severity, namespace: finding.resource.namespace ?? (finding.about?.startsWith('Namespace/') ? finding.about.slice('Namespace/'.length) : '') };
      const key = JSON.stringify(labels);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { labels, count: 1 });
    }
    family('kubeharden_findings', 'gauge', 'Open findings (not accepted by an exception) by control, severity and namespace ("" for cluster-scoped objects).', [...counts.values()].sort(byLabels).map(({ labels, count }) => sample('kubeharden_findings', labels, count)));
    const scores = this.agent.lastSettled?.scores;
    family('kubeharden_score', 'gauge', 'Compliance score 0-100: the plain and severity-weighted average over assessed controls.', scores ? [sample('kubeharden_score', { ...cluster, kind: 'plain' }, scores.overall ?? Number.NaN), sample('kubeharden_score', { ...cluster, kind: 'weighted' }, scores.weighted ?? Number.NaN)] : []);
    family('kubeharden_control_score', 'gauge', 'Per control: the share of assessed resources that pass, 0-100.', (scores?.controls ?? []).filter((control) => control.score !== null).map((control) => sample('kubeharden_control_score', { ...cluster, control: control.id, severity: control.severity }, control.score as number)));
    const objects = this.agent.live.counts();
    family('kubeharden_objects', 'gauge', 'Objects the agent holds, by kind.', [...objects].sort(([a], [b]) => a.localeCompare(b)).map(([kind, count]) => sample('kubeharden_objects', { ...cluster, kind }, count)));
    family('kubeharden_watch_lag_seconds', 'gauge', "Seconds since each kind's watch last heard from the API server (an event or a bookmark).", this.agent.watches.filter((watch) => watch.lastHeard > 0).map((watch) => sample('kubeharden_watch_lag_seconds', { ...cluster, kind: watch.kind.kind }, Math.max(0, (now - watch.lastHeard) / 1000))));
    family('kubeharden_watch_relists_total', 'counter', 'Lists made again because the API server answered 410 Gone.', this.agent.watches.map((watch) => sample('kubeharden_watch_relists_total', { ...cluster, kind: watch.kind.kind }, watch.relists)));
    family('kubeharden_errors_total', 'counter', 'Watch errors retried and results that could not be written.', [sample('kubeharden_errors_total', cluster, this.agent.errors)]);
    family('kubeharden_evaluation_seconds', 'histogram', 'Time to judge one batch of changes.', this.evaluation.lines('kubeharden_evaluation_seconds', cluster));
    family('kubeharden_event_to_report_seconds', 'histogram', "From a change's watch event to its findings, history, reports and metrics being written.", this.eventToReport.lines('kubeharden_event_to_report_seconds', cluster));
    return `${out.join('\n')}\n`;
  }
}

function byLabels(a: { labels: Record<string, string> }, b: { labels: Record<string, string> }): number {
  return JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels));
}

function sample(name: string, labels: Readonly<Record<string, string>>, value: number): string {
  const text = Object.entries(labels).map(([key, label]) => `${key}="${escapeLabel(label)}"`).join(',');
  return `${name}${text ? `{${text}}` : ''} ${formatValue(value)}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
