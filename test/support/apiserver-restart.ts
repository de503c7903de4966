/**
 * Restarts a test cluster's kube-apiserver (etcd and its data stay): SIGTERM to the running one, then the same
 * binary with the same flags on the same port. The new process is the caller's to stop (before cluster.stop()).
 */
import { join } from 'node:path';
import { clusterBinDir } from './cluster-binaries.js';
import type { Cluster } from './cluster-harness.js';
import { startProcess, type ManagedProcess } from './cluster-process.js';
import { tempDir } from './temp-dir.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops the API server that runs now (the harness's, or one started here before). */
export async function stopApiServer(cluster: Cluster, current?: ManagedProcess): Promise<void> {
  if (current) return current.stop();
  // As ManagedProcess.stop does: SIGTERM, then SIGKILL after 10 s (it waits for open watches to end).
  process.kill(cluster.pids.apiserver, 'SIGTERM');
  await until('kube-apiserver ends after SIGTERM', 10_000, () => !alive(cluster.pids.apiserver)).catch(() => process.kill(cluster.pids.apiserver, 'SIGKILL'));
  await until('kube-apiserver ends', 10_000, () => !alive(cluster.pids.apiserver));
}

/** Starts kube-apiserver again with the flags it had; resolves once /readyz answers 200. */
export async function startApiServer(cluster: Cluster): Promise<ManagedProcess> {
  const bin = clusterBinDir();
  if (typeof bin !== 'string') throw new Error(bin.missing);
  const log = join(tempDir('apiserver-restart'), 'apiserver.log');
  const apiserver = startProcess('kube-apiserver', join(bin, 'kube-apiserver'), cluster.apiserverArgs, log);
  await until('kube-apiserver ready again', 60_000, async () => {
    if (apiserver.ended() !== null) throw new Error(`kube-apiserver ended (${apiserver.ended()}):\n${apiserver.tail(30)}`);
    return (await cluster.request('admin', 'GET', '/readyz').catch(() => ({ status: 0 }))).status === 200;
  });
  return apiserver;
}
