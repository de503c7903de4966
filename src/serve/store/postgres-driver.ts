import pg from 'pg';
import type { SqlDriver, SqlValue } from './sql-driver.js';

/** `?` placeholders numbered as PostgreSQL wants them ($1, $2…). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const ROWS_PER_INSERT = 500;

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

class PostgresSession implements SqlDriver {
  readonly dialect = 'postgres' as const;
  constructor(protected readonly target: Queryable) {}

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.target.query(numbered(sql), [...params])).rowCount ?? 0;
  }

  async all<T extends Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.target.query(numbered(sql), [...params])).rows as T[];
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], suffix = ''): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const values = chunk.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
      await this.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ${suffix}`, chunk.flat());
    }
  }

  async transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {}
}

/** A pool of connections to one PostgreSQL database (`postgres://user@host:port/db`). */
export class PostgresDriver extends PostgresSession {
  private readonly pool: pg.Pool;

  constructor(url: string) {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    super(pool);
    this.pool = pool;
    // An idle connection the server ends (a restart) must not crash the agent; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  override async transaction<T>(work: (tx: SqlDriver) => Promise<T>, lockKey?: number): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (lockKey !== undefined) await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
      const result = await work(new PostgresSession(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  override async close(): Promise<void> {
    await this.pool.end();
  }
}
