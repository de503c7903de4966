/**
 * The agent's history in SQLite or PostgreSQL: each finding's first seen, last seen and resolved time, and the
 * scores over time, per cluster name. A finding is one row per occurrence: resolved and seen again later is a new
 * row. Open rows are unique per cluster and finding key, so an agent that restarts reconciles with what it wrote
 * before instead of writing the same findings twice.
 */
import type { Finding } from '../../vocabulary/finding.js';
import type { ScoreSummary } from '../score-summary.js';
import { migrate } from './migrations.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

export interface ClusterRow {
  readonly name: string;
  readonly server: string;
  readonly version: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface ScoreRow {
  readonly cluster: string;
  readonly at: number;
  readonly overall: number | null;
  readonly weighted: number | null;
  readonly openFindings: number;
}

export interface FindingRow {
  readonly id: number;
  readonly cluster: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly controlId: string;
  readonly severity: string;
  readonly title: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
  readonly field: string;
  readonly message: string;
  readonly remediation: string;
  readonly accepted: boolean;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly resolvedAt: number | null;
}

export interface FindingFilter {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly controlId?: string;
  readonly kind?: string;
  readonly name?: string;
  /** Open findings only (the default), or every occurrence. */
  readonly open?: boolean;
  readonly limit?: number;
}

const FINDING_COLUMNS = ['cluster', 'finding_key', 'fingerprint', 'control_id', 'severity', 'title', 'api_version', 'kind', 'namespace', 'name', 'field', 'message', 'remediation', 'accepted', 'first_seen', 'last_seen'] as const;
const OPEN_CONFLICT = 'ON CONFLICT (cluster, finding_key) WHERE resolved_at IS NULL DO NOTHING';

export class History {
  constructor(readonly driver: SqlDriver) {}

  /** Brings the schema up to date; returns the migrations it ran. */
  migrate(): Promise<number[]> {
    return migrate(this.driver);
  }

  async registerCluster(name: string, server: string, version: string, at: number): Promise<void> {
    const updated = await this.driver.run('UPDATE kh_clusters SET server = ?, version = ?, last_seen = ? WHERE name = ?', [server, version, at, name]);
    if (updated === 0) await this.driver.run(`INSERT INTO kh_clusters (name, server, version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, [name, server, version, at, at]);
  }

  /**
   * The whole set of current findings (after a start or a relist): rows open but no longer found are resolved,
   * new ones inserted, the rest seen now. Returns how many were opened and resolved.
   */
  async reconcile(cluster: string, current: ReadonlyMap<string, Finding>, at: number): Promise<{ opened: number; resolved: number }> {
    return this.driver.transaction(async (tx) => {
      const open = new Set((await tx.all<{ finding_key: string }>('SELECT finding_key FROM kh_findings WHERE cluster = ? AND resolved_at IS NULL', [cluster])).map((row) => row.finding_key));
      const gone = [...open].filter((key) => !current.has(key));
      for (const key of gone) await tx.run('UPDATE kh_findings SET resolved_at = ?, last_seen = ? WHERE cluster = ? AND finding_key = ? AND resolved_at IS NULL', [at, at, cluster, key]);
      const added = [...current].filter(([key]) => !open.has(key));
      await tx.insertMany('kh_findings', FINDING_COLUMNS, added.map(([key, finding]) => findingValues(cluster, key, finding, at)), OPEN_CONFLICT);
      await tx.run('UPDATE kh_findings SET last_seen = ? WHERE cluster = ? AND resolved_at IS NULL', [at, cluster]);
      await tx.run('UPDATE kh_clusters SET last_seen = ? WHERE name = ?', [at, cluster]);
      return { opened: added.length, resolved: gone.length };
    });
  }

  /** A batch of changes: findings that appeared and keys of findings that went away. */
  async change(cluster: string, added: readonly (readonly [string, Finding])[], resolved: readonly string[], at: number): Promise<void> {
    if (added.length === 0 && resolved.length === 0) return;
    await this.driver.transaction(async (tx) => {
      for (const key of resolved) await tx.run('UPDATE kh_findings SET resolved_at = ?, last_seen = ? WHERE cluster = ? AND finding_key = ? AND resolved_at IS NULL', [at, at, cluster, key]);
      await tx.insertMany('kh_findings', FINDING_COLUMNS, added.map(([key, finding]) => findingValues(cluster, key, finding, at)), OPEN_CONFLICT);
    });
  }

  /** Open findings of the cluster were still there at `at` (written now and then, not on every change). */
  async seen(cluster: string, at: number): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await tx.run('UPDATE kh_findings SET last_seen = ? WHERE cluster = ? AND resolved_at IS NULL', [at, cluster]);
      await tx.run('UPDATE kh_clusters SET last_seen = ? WHERE name = ?', [at, cluster]);
    });
  }

  async recordScores(cluster: string, at: number, summary: ScoreSummary, openFindings: number): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await tx.run('INSERT INTO kh_scores (cluster, at, overall, weighted, open_findings) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cluster, at) DO NOTHING', [cluster, at, summary.overall, summary.weighted, openFindings]);
      await tx.insertMany('kh_control_scores', ['cluster', 'at', 'control_id', 'assessed', 'failed'], summary.controls.map(([id, assessed, failed]) => [cluster, at, id, assessed, failed]), 'ON CONFLICT (cluster, at, control_id) DO NOTHING');
    });
  }

  async clusters(): Promise<ClusterRow[]> {
    const rows = await this.driver.all<Record<string, SqlValue>>('SELECT name, server, version, first_seen, last_seen FROM kh_clusters ORDER BY name');
    return rows.map((row) => ({ name: String(row['name']), server: String(row['server']), version: String(row['version']), firstSeen: Number(row['first_seen']), lastSeen: Number(row['last_seen']) }));
  }

  /** Scores over time, oldest first; every cluster when none is named. */
  async scores(cluster?: string, since = 0): Promise<ScoreRow[]> {
    const rows = await this.driver.all<Record<string, SqlValue>>(
      `SELECT cluster, at, overall, weighted, open_findings FROM kh_scores WHERE at >= ?${cluster === undefined ? '' : ' AND cluster = ?'} ORDER BY at, cluster`,
      cluster === undefined ? [since] : [since, cluster],
    );
    return rows.map((row) => ({ cluster: String(row['cluster']), at: Number(row['at']), overall: numberOrNull(row['overall']), weighted: numberOrNull(row['weighted']), openFindings: Number(row['open_findings']) }));
  }

  async controlScores(cluster: string, controlId: string): Promise<{ at: number; assessed: number; failed: number }[]> {
    const rows = await this.driver.all<Record<string, SqlValue>>('SELECT at, assessed, failed FROM kh_control_scores WHERE cluster = ? AND control_id = ? ORDER BY at', [cluster, controlId]);
    return rows.map((row) => ({ at: Number(row['at']), assessed: Number(row['assessed']), failed: Number(row['failed']) }));
  }

  async findings(filter: FindingFilter = {}): Promise<FindingRow[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const add = (clause: string, value: SqlValue) => {
      where.push(clause);
      params.push(value);
    };
    if (filter.cluster !== undefined) add('cluster = ?', filter.cluster);
    if (filter.namespace !== undefined) add('namespace = ?', filter.namespace);
    if (filter.controlId !== undefined) add('control_id = ?', filter.controlId);
    if (filter.kind !== undefined) add('kind = ?', filter.kind);
    if (filter.name !== undefined) add('name = ?', filter.name);
    if (filter.open ?? true) where.push('resolved_at IS NULL');
    const limit = filter.limit ?? 1000;
    const rows = await this.driver.all<Record<string, SqlValue>>(
      `SELECT * FROM kh_findings${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY first_seen DESC, id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      params,
    );
    return rows.map(findingRow);
  }

  /** Open findings counted by a column (namespace, control, severity) for one cluster. */
  async countBy(cluster: string, column: 'namespace' | 'control_id' | 'severity' | 'kind'): Promise<{ value: string | null; count: number }[]> {
    const rows = await this.driver.all<Record<string, SqlValue>>(
      `SELECT ${column} AS value, COUNT(*) AS count FROM kh_findings WHERE cluster = ? AND resolved_at IS NULL AND accepted = 0 GROUP BY ${column} ORDER BY count DESC, value`,
      [cluster],
    );
    return rows.map((row) => ({ value: row['value'] === null ? null : String(row['value']), count: Number(row['count']) }));
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

function numberOrNull(value: SqlValue | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function findingValues(cluster: string, key: string, finding: Finding & { fingerprint?: string }, at: number): SqlValue[] {
  const { resource } = finding;
  return [cluster, key, finding.fingerprint ?? key, finding.controlId, finding.severity, finding.title, resource.apiVersion, resource.kind, resource.namespace, resource.name, finding.field, finding.message, finding.remediation, finding.suppression ? 1 : 0, at, at];
}

function findingRow(row: Record<string, SqlValue>): FindingRow {
  const text = (name: string) => String(row[name]);
  const optional = (name: string) => (row[name] === null ? null : String(row[name]));
  return {
    id: Number(row['id']),
    cluster: text('cluster'),
    key: text('finding_key'),
    fingerprint: text('fingerprint'),
    controlId: text('control_id'),
    severity: text('severity'),
    title: text('title'),
    apiVersion: text('api_version'),
    kind: text('kind'),
    namespace: optional('namespace'),
    name: optional('name'),
    field: text('field'),
    message: text('message'),
    remediation: text('remediation'),
    accepted: Number(row['accepted']) === 1,
    firstSeen: Number(row['first_seen']),
    lastSeen: Number(row['last_seen']),
    resolvedAt: numberOrNull(row['resolved_at']),
  };
}
