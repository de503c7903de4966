/**
 * A real PostgreSQL server for tests (Debian's postgresql package): a fresh data folder made by initdb, the server
 * on a free loopback port with trust authentication for the loopback only, stopped and removed after. PostgreSQL
 * refuses to run as root, so as root both run as `nobody` (setpriv) and the folder is given to it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { startProcess } from './cluster-process.js';
import { tempDir } from './temp-dir.js';

export interface Postgres {
  readonly port: number;
  /** `postgres://kubeharden@127.0.0.1:PORT/DB`; a new empty database for each call of createDatabase. */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const NOBODY = 65534;

/** The folder holding initdb and postgres: $KUBEHARDEN_POSTGRES_BIN, the PATH, or the newest /usr/lib/postgresql/N/bin. */
function postgresBinDir(): string | undefined {
  const fromEnv = process.env['KUBEHARDEN_POSTGRES_BIN'];
  if (fromEnv) return fromEnv;
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (which) return dirname(which);
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPostgres(): Promise<Postgres | { skip: string }> {
  const bin = postgresBinDir();
  if (!bin || !existsSync(join(bin, 'postgres')) || !existsSync(join(bin, 'initdb'))) {
    const missing = 'PostgreSQL (initdb and postgres) is not installed: install Debian\'s postgresql package (or set KUBEHARDEN_POSTGRES_BIN) to run the PostgreSQL history tests';
    if (process.env['CI']) throw new Error(missing);
    return { skip: missing };
  }
  const dir = tempDir('postgres');
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'] : [];
  if (asRoot) {
    // nobody must reach the folder: the test run's folders above it are private to root.
    for (let up = dirname(dir); up !== dirname(up); up = dirname(up)) {
      const mode = statSync(up).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(up, mode | 0o001);
    }
    chownSync(dir, NOBODY, NOBODY);
  }
  const run = (binary: string, args: string[]) => (prefix.length > 0 ? { command: prefix[0]!, args: [...prefix.slice(1), binary, ...args] } : { command: binary, args });
  const init = run(join(bin, 'initdb'), ['-D', data, '-U', 'kubeharden', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const initialized = spawnSync(init.command, init.args, { encoding: 'utf8', cwd: dir });
  if (initialized.status !== 0) throw new Error(`initdb failed (${initialized.status}): ${initialized.stderr}${initialized.stdout}`);
  const port = await freePort();
  const server = run(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
  const process_ = startProcess('postgres', server.command, server.args, join(dir, 'postgres.log'));
  const url = (database: string) => `postgres://kubeharden@127.0.0.1:${port}/${database}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url('postgres') });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      const ended = process_.ended();
      if (ended !== null || Date.now() > deadline) throw new Error(`postgres did not start (${ended ?? (error as Error).message}):\n${process_.tail(20)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await process_.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
