/**
 * useServers() (what useCluster runs on), with fake servers: setUp's teardowns run newest first and before the
 * servers stop, where a describe block's own `after` would run too late; a failing teardown stops nothing less; a
 * skip starts and sets up nothing and gives every test its reason. startSideBySide() stops what did start when
 * another server fails or skips.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from './temp-dir.js';
import { isSkipped, startSideBySide, useServers } from './use-cluster.js';

const HELPER = new URL('./use-cluster.js', import.meta.url).href;

const events: string[] = [];

describe('servers shared by a describe block', () => {
  const shared = useServers(
    async () => {
      events.push('servers start');
      return { name: 'fake', stop: async () => void events.push('servers stop') };
    },
    async (servers, onStop) => {
      events.push(`set up ${servers.name}`);
      onStop(() => events.push('client close'));
      onStop(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        events.push('agent stop');
      });
    },
  );
  // Registered after useServers: node:test runs it after useServers' own `after`, when the servers are gone.
  after(() => events.push('the block’s own after'));

  it('hands its tests the started servers', (t) => {
    assert.equal(shared.ready(t)?.name, 'fake');
    events.push('test');
  });
});

it('after the block: the teardowns ran newest first, then the servers stopped', () => {
  assert.deepEqual(events, ['servers start', 'set up fake', 'test', 'agent stop', 'client close', 'servers stop', 'the block’s own after']);
});

describe('servers that are not installed', () => {
  let setUp = false;
  const shared = useServers<{ stop(): Promise<void> }>(
    async () => ({ skip: 'the servers are not built' }),
    async () => {
      setUp = true;
    },
  );

  it('skip each test with the reason start gave, and nothing is set up', () => {
    const reasons: (string | undefined)[] = [];
    assert.equal(shared.ready({ skip: (reason) => reasons.push(reason) }), undefined);
    assert.deepEqual(reasons, ['the servers are not built']);
    assert.equal(setUp, false);
  });
});

it('a failing teardown fails the block, and the other teardowns still run and the servers still stop', (t) => {
  const dir = tempDir('use-servers', t);
  const script = join(dir, 'failing-teardown.mjs');
  writeFileSync(
    script,
    `import { describe, it } from 'node:test';
const { useServers } = await import(${JSON.stringify(HELPER)});
describe('block', () => {
  useServers(async () => ({ stop: async () => console.log('EVENT servers stop') }), async (servers, onStop) => {
    onStop(() => console.log('EVENT first teardown'));
    onStop(() => { throw new Error('the agent did not stop'); });
  });
  it('runs', () => {});
});
`,
  );
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: undefined } });
  const output = result.stdout + result.stderr;
  assert.notEqual(result.status, 0, output);
  assert.match(output, /the agent did not stop/);
  assert.deepEqual(output.match(/EVENT .*/g), ['EVENT first teardown', 'EVENT servers stop'], output);
});

describe('startSideBySide', () => {
  const server = (name: string, log: string[], ms = 0) => new Promise<{ name: string; stop(): Promise<void> }>((resolve) => setTimeout(() => resolve({ name, stop: async () => void log.push(`${name} stop`) }), ms));

  it('answers every server, in order, when all start', async () => {
    const log: string[] = [];
    const started = await startSideBySide([server('etcd', log, 20), server('postgres', log)]);
    assert.ok(!isSkipped(started));
    assert.deepEqual(started.map((one) => one.name), ['etcd', 'postgres']);
    assert.deepEqual(log, []);
  });

  it('on a failure, stops the servers that started (a slower one too) and throws the failure', async () => {
    const log: string[] = [];
    await assert.rejects(startSideBySide([server('etcd', log, 20), Promise.reject(new Error('the API server is not built')), server('postgres', log)]), /not built/);
    assert.deepEqual(log, ['etcd stop', 'postgres stop']);
  });

  it('on a skip, stops the servers that started and answers the first skip', async () => {
    const log: string[] = [];
    assert.deepEqual(await startSideBySide([server('etcd', log), Promise.resolve({ skip: 'no PostgreSQL' }), Promise.resolve({ skip: 'no Chromium' })]), { skip: 'no PostgreSQL' });
    assert.deepEqual(log, ['etcd stop']);
  });
});
