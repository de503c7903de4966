/**
 * Startup: `kubeharden --version` and a one-file scan, each against `node -e ''` measured in the same run
 * (alternated, so a busy moment of a shared machine falls on all three). Wall time of whole processes, medians.
 * Targets (issue 19): --version under 150 ms and a one-file scan under 400 ms on the project's 2-core machine; the
 * ratio to bare Node is what carries over to other machines.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Case {
  readonly name: string;
  /** Node (the default) or the single executable. */
  readonly command?: string;
  readonly args: readonly string[];
  readonly targetMs?: number;
}

function wallMs(args: readonly string[], cwd: string, command = process.execPath): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  // A scan of an insecure file exits 1; anything else means it did not run.
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed: ${result.stderr.toString()}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
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
  const times = cases.map(() => [] as number[]);
  for (const args of [cases[0]!.args, cases[1]!.args]) wallMs(args, projectRoot); // warm the file cache
  for (let run = 0; run < runs; run++) cases.forEach((entry, index) => times[index]!.push(wallMs(entry.args, projectRoot, entry.command)));
  const bare = median(times[0]!);
  console.log(`\nStartup (${runs} runs each, median wall time; node ${process.version}):`);
  console.log('command                            ms      × node -e   target');
  cases.forEach((entry, index) => {
    const ms = median(times[index]!);
    const target = entry.targetMs === undefined ? '' : `< ${entry.targetMs} ms: ${ms < entry.targetMs ? 'met' : 'NOT met'}`;
    console.log(`${entry.name.padEnd(34)} ${ms.toFixed(0).padStart(6)}  ${(ms / bare).toFixed(2).padStart(9)}   ${target}`);
  });
  if ('missing' in sea) console.log(`single executable: not measured (${sea.missing})`);
}
