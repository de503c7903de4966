import Database from 'better-sqlite3';
import type { SqlDriver, SqlValue } from './sql-driver.js';

/**
 * One SQLite file through better-sqlite3 (synchronous, in process). WAL mode, so the dashboard reads while the
 * agent writes. Transactions are queued: one connection serves both, and the agent awaits between statements.
 */

/**
 * SQLite's page cache, in KiB (a negative `cache_size`). better-sqlite3 builds SQLite with 16,000 KiB, malloc'd
 * outside the V8 heap and never given back: at 10,000 objects the history's pages filled it during the first
 * reconcile, 15.6 MiB of the agent's RSS. The writes touch a few pages per batch and the operating system's file
 * cache holds the rest, so 2 MiB (SQLite's own default) costs no measurable time. No memory map (`mmap_size` 0,
 * the default) and temporary tables on disk (`temp_store` default), so nothing else grows with the file.
 */
export const SQLITE_CACHE_KIB = 2048;
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  private inTransaction = false;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (!/^\s*(insert|update|delete|select)/i.test(sql)) {
      this.db.exec(sql);
      return 0;
    }
    return this.statement(sql).run(...params).changes;
  }

  async all<T extends Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.statement(sql).all(...params) as T[];
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], suffix = ''): Promise<void> {
    const statement = this.statement(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${suffix}`);
    for (const row of rows) statement.run(...row);
  }

  transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    const next = this.queue.then(async () => {
      this.inTransaction = true;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      } finally {
        this.inTransaction = false;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.close();
  }
}
