/**
 * CPU time (user + system) of the child processes this process has waited for, in milliseconds, from Linux's
 * /proc/self/stat (cutime and cstime, in clock ticks of 10 ms). On a shared machine wall time waits for a core; CPU
 * time does not, so the startup and render benches report both. Undefined where there is no /proc.
 */
import { readFileSync } from 'node:fs';

const TICK_MS = 10;

export function childCpuMs(): number | undefined {
  try {
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of the file (cutime, cstime) are at 13 and 14 once pid and the name are gone.
    return (Number(fields[13]) + Number(fields[14])) * TICK_MS;
  } catch {
    return undefined;
  }
}
