import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { History } from './history.js';
import { PostgresDriver } from './postgres-driver.js';
import { SqliteDriver } from './sqlite-driver.js';

/** `sqlite:FILE` (or a bare file name) or `postgres://…` / `postgresql://…`, migrated to the current schema. */
export async function openHistory(database: string): Promise<History> {
  const driver = /^postgres(ql)?:\/\//.test(database) ? new PostgresDriver(database) : sqliteAt(database.replace(/^sqlite:/, ''));
  const history = new History(driver);
  try {
    await history.migrate();
  } catch (error) {
    await history.close().catch(() => undefined);
    throw error;
  }
  return history;
}

function sqliteAt(file: string): SqliteDriver {
  if (file === '') throw new Error('--database sqlite: needs a file name (sqlite:/var/lib/kubeharden/history.db)');
  mkdirSync(dirname(file), { recursive: true });
  return new SqliteDriver(file);
}
