/**
 * `npm run bench -- --memory-only`: peak memory against the number of findings. The CLI itself runs in a child
 * process under `/usr/bin/time -v` (its peak RSS is that child's alone) on:
 * - 50,000 and 200,000 Pods as one JSON List, as YAML files of 1,000 Pods and as one YAML stream (`yaml-stream`,
 *   not in the default --memory-inputs) (about 25 findings per Pod);
 * - an audit log of --memory-audit-mb MB (default 1024) in which every event is a finding (`audit detect`);
 * for each of --memory-formats (default table, json, sarif), output thrown away. Each input also gets a
 * parse-only pass (read and parse, nothing else) for the time and memory ratios. Targets (issue 13): peak RSS
 * under 1 GB at 200,000 objects and for the 1 GB log, and at most 1.5× the peak RSS at 50,000 objects.
 */
import { spawnSync } from 'node:child_process';
import { statSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execAuditLog, podJsonList, podYamlFolder, podYamlStream } from './memory-corpus.js';

interface Pass {
  readonly seconds: number;
  /** User plus system CPU time: on a shared machine it holds where wall time does not. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

interface Row {
  readonly input: string;
  readonly objects: number;
  readonly megabytes: number;
  readonly format: string;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly parse: Pass;
}

export interface MemoryOptions {
  readonly projectRoot: string;
  readonly sizes: readonly number[];
  readonly formats: readonly string[];
  readonly inputs: readonly ('json' | 'yaml' | 'yaml-stream' | 'audit')[];
  readonly auditMb: number;
}

/** Runs a command under `/usr/bin/time -v`: wall time and the child's peak RSS. */
function timed(args: readonly string[], capture: boolean, okCodes: readonly number[] = [0, 1]): Pass & { stdout: string } {
  const started = process.hrtime.bigint();
  // A report goes to /dev/null: only the parse passes' small summaries are read.
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status === null || !okCodes.includes(result.status)) throw new Error(`${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (!rss) throw new Error(`no peak RSS from /usr/bin/time for ${args.join(' ')}`);
  const cpu = (label: string): number => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1] ?? NaN);
  return { seconds, cpuSeconds: cpu('User') + cpu('System'), peakRssMb: Number(rss[1]) / 1024, stdout: result.stdout ?? '' };
}

function sizeOf(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + statSync(join(path, name)).size, 0);
}

export async function benchMemory(options: MemoryOptions): Promise<Row[]> {
  const dir = resolve(options.projectRoot, '.bench', 'memory');
  const cli = resolve(options.projectRoot, 'dist', 'src', 'cli', 'main.js');
  const worker = resolve(options.projectRoot, 'dist', 'bench', 'worker.js');
  const auditWorker = resolve(options.projectRoot, 'dist', 'bench', 'audit-worker.js');
  const rows: Row[] = [];
  const cases: { input: string; objects: number; path: string; scan: (format: string) => string[]; parse: string[] }[] = [];
  for (const size of options.sizes) {
    if (options.inputs.includes('json')) {
      const path = await podJsonList(dir, size);
      cases.push({ input: 'JSON List', objects: size, path, scan: (format) => [cli, 'scan', path, '--format', format], parse: [worker, 'parse', path, 'nsa'] });
    }
    if (options.inputs.includes('yaml')) {
      const path = await podYamlFolder(dir, size);
      cases.push({ input: 'YAML files', objects: size, path, scan: (format) => [cli, 'scan', path, '--format', format], parse: [worker, 'parse', path, 'nsa'] });
    }
    if (options.inputs.includes('yaml-stream')) {
      const path = await podYamlStream(dir, size);
      cases.push({ input: 'YAML stream', objects: size, path, scan: (format) => [cli, 'scan', path, '--format', format], parse: [worker, 'parse', path, 'nsa'] });
    }
  }
  if (options.inputs.includes('audit')) {
    const path = await execAuditLog(dir, options.auditMb);
    cases.push({ input: 'audit log', objects: 0, path, scan: (format) => [cli, 'audit', 'detect', path, '--format', format], parse: [auditWorker, 'baseline', path] });
  }
  console.log('\nmemory · peak RSS of the CLI in a child process (/usr/bin/time -v), report written to /dev/null');
  console.log('input        objects   MB       format  wall s   CPU s    objects/s  MB/s    peak RSS MB  parse s  parse RSS MB  time/parse');
  for (const item of cases) {
    const parse = timed(item.parse, true, [0]);
    const objects = item.objects || (JSON.parse(parse.stdout) as { events: number }).events;
    const megabytes = sizeOf(item.path) / 1e6;
    for (const format of options.formats) {
      const run = timed(item.scan(format), false);
      const row: Row = { input: item.input, objects, megabytes, format, seconds: run.seconds, cpuSeconds: run.cpuSeconds, peakRssMb: run.peakRssMb, parse: { seconds: parse.seconds, cpuSeconds: parse.cpuSeconds, peakRssMb: parse.peakRssMb } };
      rows.push(row);
      console.log(
        [
          item.input.padEnd(12), String(objects).padEnd(9), megabytes.toFixed(1).padEnd(8), format.padEnd(7), run.seconds.toFixed(1).padEnd(8), run.cpuSeconds.toFixed(1).padEnd(8),
          Math.round(objects / run.seconds).toString().padEnd(10), (megabytes / run.seconds).toFixed(1).padEnd(7), run.peakRssMb.toFixed(0).padEnd(12),
          parse.seconds.toFixed(1).padEnd(8), parse.peakRssMb.toFixed(0).padEnd(13), (run.seconds / parse.seconds).toFixed(2),
        ].join(' '),
      );
    }
  }
  const smallest = Math.min(...options.sizes);
  const largest = Math.max(...options.sizes);
  if (smallest !== largest) {
    console.log(`\npeak RSS at ${largest} objects / at ${smallest} (target ≤ 1.5):`);
    for (const row of rows.filter((r) => r.objects === largest && r.input !== 'audit log')) {
      const small = rows.find((r) => r.objects === smallest && r.input === row.input && r.format === row.format);
      if (small) console.log(`  ${row.input.padEnd(12)} ${row.format.padEnd(7)} ${(row.peakRssMb / small.peakRssMb).toFixed(2)}`);
    }
  }
  return rows;
}
