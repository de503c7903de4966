/**
 * The history on both databases it supports, SQLite (a file) and PostgreSQL (a real server started for the test):
 * versioned migrations (fresh, step by step, repeated, concurrent, refused when the database is newer), and what
 * the agent writes: first seen, last seen, resolved, a finding that comes back as a new occurrence, scores.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { History } from '../../src/serve/store/history.js';
import { migrate, MIGRATIONS } from '../../src/serve/store/migrations.js';
import { PostgresDriver } from '../../src/serve/store/postgres-driver.js';
import { SQLITE_CACHE_KIB, SqliteDriver } from '../../src/serve/store/sqlite-driver.js';
import type { SqlDriver } from '../../src/serve/store/sql-driver.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { startPostgres, type Postgres } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';

function finding(controlId: string, name: string, namespace: string | null = 'shop'): Finding {
  return {
    controlId,
    title: `${controlId} title`,
    severity: 'high',
    pss: null,
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
    location: { file: `cluster:/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, line: 0, column: 0 },
    field: 'spec',
    message: `${controlId} on ${name}`,
    remediation: 'fix it',
  };
}

let postgres: Postgres | undefined;
let skipPostgres: string | undefined;
let databases = 0;

before(async () => {
  const started = await startPostgres();
  if ('skip' in started) skipPostgres = started.skip;
  else postgres = started;
});

after(async () => {
  await postgres?.stop();
});

const DIALECTS: readonly { name: string; open: () => Promise<SqlDriver | { skip: string }> }[] = [
  { name: 'SQLite', open: async () => new SqliteDriver(join(tempDir('history'), 'history.db')) },
  {
    name: 'PostgreSQL',
    open: async () => (postgres ? new PostgresDriver(await postgres.createDatabase(`history_${++databases}`)) : { skip: skipPostgres ?? 'no PostgreSQL' }),
  },
];

for (const dialect of DIALECTS) {
  describe(`history on ${dialect.name}`, () => {
    it('migrates a fresh database to the newest version, step by step, once', async (t) => {
      const driver = await dialect.open();
      if ('skip' in driver) return t.skip(driver.skip);
      try {
        assert.deepEqual(await migrate(driver, MIGRATIONS.slice(0, 1)), [1]);
        assert.deepEqual(await migrate(driver), [2]);
        assert.deepEqual(await migrate(driver), []);
        const versions = await driver.all<{ version: number }>('SELECT version FROM kh_schema_migrations ORDER BY version');
        assert.deepEqual(versions.map((row) => Number(row.version)), [1, 2]);
        // Version 2's table is there and usable.
        await driver.run('INSERT INTO kh_control_scores (cluster, at, control_id, assessed, failed) VALUES (?, ?, ?, ?, ?)', ['c', 1, 'X', 2, 1]);
        assert.equal((await driver.all('SELECT * FROM kh_control_scores')).length, 1);
      } finally {
        await driver.close();
      }
    });

    it('refuses a database whose schema is newer than this kubeharden, and changes nothing', async (t) => {
      const driver = await dialect.open();
      if ('skip' in driver) return t.skip(driver.skip);
      try {
        await migrate(driver);
        await driver.run('INSERT INTO kh_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [99, 'from the future', 0]);
        await assert.rejects(migrate(driver), /schema is at version 99, newer than this kubeharden knows \(2\)/);
      } finally {
        await driver.close();
      }
    });

    it('a failing step rolls the whole run back: the database stays at the version it had', async (t) => {
      const driver = await dialect.open();
      if ('skip' in driver) return t.skip(driver.skip);
      try {
        const broken = [...MIGRATIONS, { version: 3, name: 'broken', sql: { sqlite: 'CREATE TABLE kh_findings (x INTEGER)', postgres: 'CREATE TABLE kh_findings (x INTEGER)' } }];
        await assert.rejects(migrate(driver, broken));
        const versions = await driver.all<{ version: number }>('SELECT version FROM kh_schema_migrations ORDER BY version').catch(() => []);
        assert.deepEqual(versions.map((row) => Number(row.version)), []);
        assert.deepEqual(await migrate(driver), [1, 2]);
      } finally {
        await driver.close();
      }
    });

    it('records first seen, last seen and resolved; a finding that comes back is a new occurrence; no open duplicates', async (t) => {
      const driver = await dialect.open();
      if ('skip' in driver) return t.skip(driver.skip);
      const history = new History(driver);
      try {
        await history.migrate();
        await history.registerCluster('one', 'https://one', 'v1.37.2', 1000);
        const a = finding('POD-NO-PRIVILEGED', 'web');
        const b = finding('RES-CPU-LIMIT', 'web');
        assert.deepEqual(await history.reconcile('one', new Map([['ka', a], ['kb', b]]), 1000), { opened: 2, resolved: 0 });
        // A restart finds the same findings: nothing opened or resolved, last seen moves.
        assert.deepEqual(await history.reconcile('one', new Map([['ka', a], ['kb', b]]), 2000), { opened: 0, resolved: 0 });
        await history.change('one', [], ['ka'], 3000);
        await history.change('one', [['ka', a]], [], 4000);
        // Adding an open finding again changes nothing.
        await history.change('one', [['kb', b]], [], 4500);
        await history.seen('one', 5000);
        const rows = await history.findings({ cluster: 'one', open: false });
        const of = (key: string) => rows.filter((row) => row.key === key).sort((x, y) => x.firstSeen - y.firstSeen);
        assert.deepEqual(of('ka').map((row) => [row.firstSeen, row.lastSeen, row.resolvedAt]), [[1000, 3000, 3000], [4000, 5000, null]]);
        assert.deepEqual(of('kb').map((row) => [row.firstSeen, row.lastSeen, row.resolvedAt]), [[1000, 5000, null]]);
        assert.equal(of('kb')[0]!.controlId, 'RES-CPU-LIMIT');
        assert.equal(of('kb')[0]!.namespace, 'shop');
        assert.equal((await history.findings({ cluster: 'one' })).length, 2);
        assert.deepEqual(await history.countBy('one', 'control_id'), [{ value: 'POD-NO-PRIVILEGED', count: 1 }, { value: 'RES-CPU-LIMIT', count: 1 }]);
        // The reconcile after a restart resolves what is gone.
        assert.deepEqual(await history.reconcile('one', new Map([['kb', b]]), 6000), { opened: 0, resolved: 1 });
        assert.deepEqual((await history.findings({ cluster: 'one' })).map((row) => row.key), ['kb']);
        const [cluster] = await history.clusters();
        assert.deepEqual([cluster!.name, cluster!.firstSeen, cluster!.lastSeen], ['one', 1000, 6000]);
      } finally {
        await history.close();
      }
    });

    it('keeps scores over time per cluster, with each control', async (t) => {
      const driver = await dialect.open();
      if ('skip' in driver) return t.skip(driver.skip);
      const history = new History(driver);
      try {
        await history.migrate();
        await history.recordScores('one', 1000, { overall: 50, weighted: 40.5, controls: [['A', 4, 2], ['B', 1, 0]] }, 3);
        await history.recordScores('two', 1500, { overall: null, weighted: null, controls: [] }, 0);
        await history.recordScores('one', 2000, { overall: 75, weighted: 70, controls: [['A', 4, 1]] }, 1);
        assert.deepEqual((await history.scores('one')).map((row) => [row.at, row.overall, row.weighted, row.openFindings]), [[1000, 50, 40.5, 3], [2000, 75, 70, 1]]);
        assert.deepEqual((await history.scores()).map((row) => row.cluster), ['one', 'two', 'one']);
        assert.deepEqual(await history.controlScores('one', 'A'), [{ at: 1000, assessed: 4, failed: 2 }, { at: 2000, assessed: 4, failed: 1 }]);
      } finally {
        await history.close();
      }
    });
  });
}

describe('history on PostgreSQL shared by many agents', () => {
  it('agents starting at once migrate under a lock: each step runs once', async (t) => {
    if (!postgres) return t.skip(skipPostgres ?? 'no PostgreSQL');
    const url = await postgres.createDatabase('shared_migrations');
    const drivers = Array.from({ length: 4 }, () => new PostgresDriver(url));
    try {
      const applied = await Promise.all(drivers.map((driver) => migrate(driver)));
      assert.deepEqual(applied.flat().sort(), [1, 2]);
      const versions = await drivers[0]!.all<{ version: number }>('SELECT version FROM kh_schema_migrations ORDER BY version');
      assert.deepEqual(versions.map((row) => Number(row.version)), [1, 2]);
    } finally {
      await Promise.all(drivers.map((driver) => driver.close()));
    }
  });
});

describe('history on SQLite: memory', () => {
  it("bounds SQLite's page cache to 2 MiB (better-sqlite3 builds it with 16,000 KiB), with no memory map and temporary tables on disk", async () => {
    const driver = new SqliteDriver(join(tempDir('history'), 'history.db'));
    try {
      assert.equal(SQLITE_CACHE_KIB, 2048);
      assert.deepEqual(await driver.all('PRAGMA cache_size'), [{ cache_size: -SQLITE_CACHE_KIB }]);
      assert.deepEqual(await driver.all('PRAGMA mmap_size'), [{ mmap_size: 0 }]);
      // 0: the build's default, which better-sqlite3 leaves at SQLite's own (files).
      assert.deepEqual(await driver.all('PRAGMA temp_store'), [{ temp_store: 0 }]);
    } finally {
      await driver.close();
    }
  });
});
