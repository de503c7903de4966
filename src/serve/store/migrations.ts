import type { Dialect, SqlDriver } from './sql-driver.js';

/**
 * The history's schema, one numbered step at a time. A step is never edited once released: a change is a new step.
 * Each database records the steps it has run in kh_schema_migrations; agents of many clusters sharing one
 * PostgreSQL database migrate under an advisory lock, so two starting at once do not run a step twice.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: Readonly<Record<Dialect, string>>;
}

const ID: Record<Dialect, string> = { sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT', postgres: 'BIGSERIAL PRIMARY KEY' };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'clusters, findings with first seen, last seen and resolved, scores over time',
    sql: both((dialect) => `
      CREATE TABLE kh_clusters (
        name TEXT PRIMARY KEY,
        server TEXT NOT NULL,
        version TEXT NOT NULL,
        first_seen BIGINT NOT NULL,
        last_seen BIGINT NOT NULL
      );
      CREATE TABLE kh_findings (
        id ${ID[dialect]},
        cluster TEXT NOT NULL,
        finding_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        control_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        title TEXT NOT NULL,
        api_version TEXT NOT NULL,
        kind TEXT NOT NULL,
        namespace TEXT,
        name TEXT,
        field TEXT NOT NULL,
        message TEXT NOT NULL,
        remediation TEXT NOT NULL,
        accepted INTEGER NOT NULL,
        first_seen BIGINT NOT NULL,
        last_seen BIGINT NOT NULL,
        resolved_at BIGINT
      );
      CREATE UNIQUE INDEX kh_findings_open ON kh_findings (cluster, finding_key) WHERE resolved_at IS NULL;
      CREATE INDEX kh_findings_resource ON kh_findings (cluster, kind, namespace, name);
      CREATE TABLE kh_scores (
        cluster TEXT NOT NULL,
        at BIGINT NOT NULL,
        overall REAL,
        weighted REAL,
        open_findings INTEGER NOT NULL,
        PRIMARY KEY (cluster, at)
      );`),
  },
  {
    version: 2,
    name: 'per-control scores over time',
    sql: both(() => `
      CREATE TABLE kh_control_scores (
        cluster TEXT NOT NULL,
        at BIGINT NOT NULL,
        control_id TEXT NOT NULL,
        assessed INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        PRIMARY KEY (cluster, at, control_id)
      );`),
  },
];

function both(sql: (dialect: Dialect) => string): Record<Dialect, string> {
  return { sqlite: sql('sqlite'), postgres: sql('postgres') };
}

/** Any number: the advisory lock every kubeharden agent takes to migrate. */
const MIGRATION_LOCK = 0x6b68_0001;

/** Runs the steps the database has not run yet; returns their versions. Refuses a database newer than this kubeharden. */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return driver.transaction(async (tx) => {
    await tx.run('CREATE TABLE IF NOT EXISTS kh_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await tx.all<{ version: number | string }>('SELECT version FROM kh_schema_migrations')).map((row) => Number(row.version)));
    const newest = Math.max(0, ...migrations.map((migration) => migration.version));
    const beyond = [...done].filter((version) => version > newest);
    if (beyond.length > 0) throw new Error(`the database's schema is at version ${Math.max(...beyond)}, newer than this kubeharden knows (${newest}): upgrade kubeharden`);
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.run(migration.sql[tx.dialect]);
      await tx.run('INSERT INTO kh_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
      applied.push(migration.version);
    }
    return applied;
  }, MIGRATION_LOCK);
}
