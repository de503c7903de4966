/**
 * One real API server for the tests of a describe block: started before them (then `setUp` seeds it), stopped
 * after them. Without built binaries outside CI every test is skipped with the reason; under CI startCluster
 * throws instead, so nothing skips quietly.
 */
import { after, before, type TestContext } from 'node:test';
import { startCluster, type Cluster, type ClusterOptions } from './cluster-harness.js';

export interface SharedCluster {
  /** The running cluster; when there is none, `t` is skipped with the reason and the answer is undefined. */
  ready(t: TestContext): Cluster | undefined;
}

export function useCluster(options: ClusterOptions, setUp?: (cluster: Cluster) => Promise<void>): SharedCluster {
  let cluster: Cluster | undefined;
  let skip = 'the test API server did not start';
  before(async () => {
    const started = await startCluster(options);
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    cluster = started;
    await setUp?.(started);
  });
  after(async () => {
    await cluster?.stop();
  });
  return {
    ready(t) {
      if (!cluster) t.skip(skip);
      return cluster;
    },
  };
}
