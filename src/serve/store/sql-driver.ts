/**
 * The little the history needs from a database, written once for SQLite (better-sqlite3) and PostgreSQL (pg).
 * Statements are written with `?` placeholders; the PostgreSQL driver numbers them.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | null;

export interface SqlDriver {
  readonly dialect: Dialect;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  all<T extends Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Inserts rows in batches; `suffix` follows the VALUES (an ON CONFLICT clause). */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], suffix?: string): Promise<void>;
  /** Runs `work` in one transaction; `lockKey` also takes an exclusive lock by that number (migrations). */
  transaction<T>(work: (tx: SqlDriver) => Promise<T>, lockKey?: number): Promise<T>;
  close(): Promise<void>;
}
