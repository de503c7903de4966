/**
 * Startup: `kubeharden --version` and a one-file scan, each against `node -e ''` measured in the same run
 * (alternated, so a busy moment of a shared machine falls on all three). Wall time of whole processes, medians.
 * Targets (issue 19): --version under 150 ms and a one-file scan under 400 ms on the project's 2-core machine; the
 * ratio to bare Node is what carries over to other machines.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { childCpuMs } from './child-cpu.js';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The program to run (default: this Node). */
  readonly command?: string;
  readonly targetMs?: number;
}

interface Timing {
  readonly wallMs: number;
  /** User + system CPU of the process, when /proc tells it. */
  readonly cpuMs: number | undefined;
}

function timed(args: readonly string[], cwd: string, command = process.execPath): Timing {
  const cpuBefore = childCpuMs();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuAfter = childCpuMs();
  // A scan of an insecure file exits 1; anything else means it did not run.
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed: ${result.stderr.toString()}`);
  return { wallMs, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** The single executable (scripts/build-binary.mjs, cached by input hash; built here when missing), or why there is none. */
function singleExecutable(projectRoot: string): { binary: string } | { missing: string } {
  const script = pathToFileURL(resolve(projectRoot, 'scripts', 'build-binary.mjs')).href;
  const found = spawnSync(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(await (await import(${JSON.stringify(script)})).cachedBinary()))`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (found.status !== 0) return { missing: `building it failed (exit ${found.status})` };
  return JSON.parse(found.stdout.trim().split('\n').pop() as string) as { binary: string } | { missing: string };
}

/** CPU time is counted in 10 ms ticks: the mean over the runs resolves better than any one run. */
function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function benchStartup(projectRoot: string, runs: number): void {
  const cli = resolve(projectRoot, 'dist', 'src', 'cli', 'main.js');
  const cases: Case[] = [
    { name: "node -e ''", args: ['-e', ''] },
    { name: 'kubeharden --version', args: [cli, '--version'], targetMs: 150 },
    { name: 'kubeharden --help', args: [cli, '--help'] },
    { name: 'kubeharden scan (one file)', args: [cli, 'scan', 'examples/insecure/debug-pod.yaml'], targetMs: 400 },
    { name: 'kubeharden scan (one file, json)', args: [cli, 'scan', 'examples/insecure/debug-pod.yaml', '--format', 'json'], targetMs: 400 },
  ];
  const sea = singleExecutable(projectRoot);
  if ('binary' in sea) {
    cases.push(
      { name: 'single executable --version', command: sea.binary, args: ['--version'], targetMs: 150 },
      { name: 'single executable scan (one file)', command: sea.binary, args: ['scan', 'examples/insecure/debug-pod.yaml'], targetMs: 400 },
    );
  }
  const times = cases.map(() => [] as Timing[]);
  for (const args of [cases[0]!.args, cases[1]!.args]) timed(args, projectRoot); // warm the file cache
  const loadBefore = loadavg()[0] as number;
  for (let run = 0; run < runs; run++) cases.forEach((entry, index) => times[index]!.push(timed(entry.args, projectRoot, entry.command)));
  const loadAfter = loadavg()[0] as number;
  const wall = (index: number) => times[index]!.map((timing) => timing.wallMs);
  const cpu = (index: number) => (times[index]!.every((timing) => timing.cpuMs !== undefined) ? mean(times[index]!.map((timing) => timing.cpuMs as number)) : undefined);
  const bare = median(wall(0));
  const bareCpu = cpu(0);
  console.log(`\nStartup (${runs} runs each; node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after):`);
  console.log('wall: median and fastest run; CPU (user + system): mean. Under load, wall time waits for a core and CPU time does not.');
  console.log('command                          median ms  min ms  × node -e   CPU ms  × node -e   target (wall median)');
  cases.forEach((entry, index) => {
    const ms = median(wall(index));
    const cpuMs = cpu(index);
    const cpuText = cpuMs === undefined || bareCpu === undefined ? '     –          –' : `${cpuMs.toFixed(0).padStart(6)}  ${(cpuMs / bareCpu).toFixed(2).padStart(9)}`;
    const target = entry.targetMs === undefined ? '' : `< ${entry.targetMs} ms: ${ms < entry.targetMs ? 'met' : 'NOT met'}`;
    console.log(`${entry.name.padEnd(32)} ${ms.toFixed(0).padStart(9)}  ${Math.min(...wall(index)).toFixed(0).padStart(6)}  ${(ms / bare).toFixed(2).padStart(9)}   ${cpuText}   ${target}`);
  });
  if ('missing' in sea) console.log(`single executable: not measured (${sea.missing})`);
}
