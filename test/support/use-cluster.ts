/**
 * One real API server (or a set of servers) for the tests of a describe block: started before them (then `setUp`
 * seeds it), stopped after them. Without built binaries outside CI every test is skipped with the reason; under CI
 * startCluster throws instead, so nothing skips quietly.
 *
 * node:test runs `after` hooks in the order they were registered, so a describe block's own `after` runs once the
 * servers are stopped already. What runs against them (an agent, a client) is stopped by a teardown that `setUp`
 * registers with `onStop`: the one `after` here runs the teardowns newest first, then stops the servers.
 */
import { after, before, type TestContext } from 'node:test';
import { startCluster, type Cluster, type ClusterOptions } from './cluster-harness.js';

/** Why every test of the block is skipped: what start answers instead of servers when something is not installed. */
export interface Skipped {
  readonly skip: string;
}

export type Teardown = () => unknown;

/** Seeds the started servers; `onStop(teardown)` runs the teardown before they stop (newest first). */
export type SetUp<T> = (servers: T, onStop: (teardown: Teardown) => void) => Promise<void>;

export interface Shared<T> {
  /** The running servers; when there are none, `t` is skipped with the reason and the answer is undefined. */
  ready(t: Pick<TestContext, 'skip'>): T | undefined;
}

export type SharedCluster = Shared<Cluster>;

type Stoppable = { stop(): Promise<unknown> };

/** What each start of a tuple answered, when none skipped. */
type Started<P> = { -readonly [K in keyof P]: Exclude<Awaited<P[K]>, Skipped> };

export function isSkipped(started: object): started is Skipped {
  return 'skip' in started;
}

/**
 * Servers started side by side: all of them, or else the first one's error (thrown) or reason to skip, once the
 * others have started and been stopped again. (Promise.all would leave a server that started running, and its
 * process would keep the test file from ending.)
 */
export async function startSideBySide<P extends readonly Promise<Stoppable | Skipped>[] | []>(starts: P): Promise<Started<P> | Skipped> {
  const settled = await Promise.allSettled(starts as readonly Promise<Stoppable | Skipped>[]);
  const answers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const skipped = answers.find(isSkipped);
  if (!failed && !skipped) return answers as Started<P>;
  for (const answer of answers) if (!isSkipped(answer)) await answer.stop();
  if (failed) throw failed.reason;
  return skipped!;
}

/** Servers from `start` (several, started side by side, say) shared by the tests of a describe block. */
export function useServers<T extends Stoppable>(start: () => Promise<T | Skipped>, setUp?: SetUp<T>): Shared<T> {
  let servers: T | undefined;
  let skip = 'the test API server did not start';
  const teardowns: Teardown[] = [];
  before(async () => {
    const started = await start();
    if (isSkipped(started)) {
      skip = started.skip;
      return;
    }
    servers = started;
    await setUp?.(started, (teardown) => teardowns.push(teardown));
  });
  after(async () => {
    // Every teardown runs, and the servers stop, even when one fails: what it leaves running would outlive the block.
    const failures: unknown[] = [];
    for (const teardown of teardowns.reverse()) {
      try {
        await teardown();
      } catch (error) {
        failures.push(error);
      }
    }
    await servers?.stop();
    if (failures.length > 0) throw failures[0];
  });
  return {
    ready(t) {
      if (!servers) t.skip(skip);
      return servers;
    },
  };
}

export function useCluster(options: ClusterOptions, setUp?: SetUp<Cluster>): SharedCluster {
  return useServers(() => startCluster(options), setUp);
}
