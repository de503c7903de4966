/**
 * CPU time (user + system) from Linux's /proc, in milliseconds: of the child processes this process has waited for
 * (/proc/self/stat's cutime and cstime), or of one running process (/proc/<pid>/stat's utime and stime), in clock
 * ticks of 10 ms. On a shared machine wall time waits for a core; CPU time does not, so the benches report both.
 * Undefined where there is no /proc.
 */
import { readFileSync } from 'node:fs';

const TICK_MS = 10;

export function childCpuMs(): number | undefined {
  const fields = statFields('self');
  // Fields 16 and 17 of the file (cutime, cstime) are at 13 and 14 once pid and the name are gone.
  return fields === undefined ? undefined : (Number(fields[13]) + Number(fields[14])) * TICK_MS;
}

/** What process `pid` has used so far (the API server's, etcd's): what a request costs it beyond its wait. */
export function processCpuMs(pid: number): number | undefined {
  const fields = statFields(pid);
  // Fields 14 and 15 of the file (utime, stime) are at 11 and 12 once pid and the name are gone.
  return fields === undefined ? undefined : (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses. */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The machine's CPU time so far, from /proc/stat's first line, in ms: busy (user to softirq), idle, and stolen. */
export interface MachineCpu {
  readonly busyMs: number;
  readonly idleMs: number;
  /** Time the hypervisor gave this machine's cores to others: a virtual machine's noisy neighbours. */
  readonly stolenMs: number;
}

export function machineCpu(): MachineCpu | undefined {
  try {
    return parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** /proc/stat's `cpu` line in ms; undefined without its first seven fields (steal, from Linux 2.6.11, is 0 when absent). */
export function parseMachineCpu(stat: string): MachineCpu | undefined {
  const fields = (stat.split('\n')[0] ?? '').trim().split(/\s+/);
  const ticks = fields.slice(1, 9).map(Number);
  if (fields[0] !== 'cpu' || ticks.length < 7 || !ticks.every(Number.isFinite)) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = ticks as [number, number, number, number, number, number, number, number?];
  return { busyMs: (user + nice + system + irq + softirq) * TICK_MS, idleMs: (idle + iowait) * TICK_MS, stolenMs: steal * TICK_MS };
}

/** "machine: busy 78%, idle 20%, stolen by the host 2% (1.2 s)" between two readings. */
export function describeMachineCpu(before: MachineCpu | undefined, after: MachineCpu | undefined): string {
  if (!before || !after) return 'machine CPU unknown (no readable /proc/stat)';
  const busy = after.busyMs - before.busyMs;
  const idle = after.idleMs - before.idleMs;
  const stolen = after.stolenMs - before.stolenMs;
  const total = Math.max(1, busy + idle + stolen);
  const share = (ms: number) => `${Math.round((100 * ms) / total)}%`;
  return `machine: busy ${share(busy)}, idle ${share(idle)}, stolen by the host ${share(stolen)} (${(stolen / 1000).toFixed(1)} s)`;
}
