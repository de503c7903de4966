/**
 * `kubeharden fix` against `scan` on the same replicated real-world corpus, measured in the same run: each pass in a
 * fresh child process (bench/worker.ts), so peak RSS belongs to that pass alone.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { buildCorpus, type SourceFile } from './corpus.js';

interface PassResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly objects: number;
  readonly findings: number;
  readonly maxRssMb: number;
}

export interface FixBenchOptions {
  readonly projectRoot: string;
  readonly source: SourceFile[];
  readonly objects: number;
  readonly runs: number;
  readonly framework: string;
}

function pass(worker: string, mode: 'scan' | 'fix', directory: string, framework: string): PassResult {
  const result = spawnSync(process.execPath, ['--expose-gc', worker, mode, directory, framework], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`benchmark worker (${mode}) failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as PassResult;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

export function benchFix(options: FixBenchOptions): void {
  const worker = resolve(options.projectRoot, 'dist', 'bench', 'worker.js');
  const corpus = buildCorpus(options.source, options.objects, resolve(options.projectRoot, '.bench', `corpus-${options.objects}`));
  const scans: PassResult[] = [];
  const fixes: PassResult[] = [];
  // Alternated, so a slow moment of a shared machine falls on both.
  for (let run = 0; run < options.runs; run++) {
    scans.push(pass(worker, 'scan', corpus.directory, options.framework));
    fixes.push(pass(worker, 'fix', corpus.directory, options.framework));
  }
  const scanSeconds = median(scans.map((r) => r.seconds));
  const fixSeconds = median(fixes.map((r) => r.seconds));
  const megabytes = corpus.bytes / 1e6;
  console.log(`\nfix --risk review against scan · ${corpus.objects} objects, ${corpus.files} files, ${megabytes.toFixed(1)} MB · framework ${options.framework} · ${options.runs} runs (median)`);
  console.log('pass  seconds  cpu s    objects/s  MB/s   peak RSS MB  findings  files changed');
  const row = (name: string, seconds: number, results: PassResult[], changed: string) =>
    console.log([name.padEnd(5), seconds.toFixed(2).padEnd(8), median(results.map((r) => r.cpuSeconds)).toFixed(2).padEnd(8), Math.round(corpus.objects / seconds).toString().padEnd(10), (megabytes / seconds).toFixed(1).padEnd(6), Math.max(...results.map((r) => r.maxRssMb)).toFixed(0).padEnd(12), String(results[0]?.findings ?? 0).padEnd(9), changed].join(' '));
  row('scan', scanSeconds, scans, '-');
  row('fix', fixSeconds, fixes, String(fixes[0]?.objects ?? 0));
  const cpuRatio = median(fixes.map((r) => r.cpuSeconds)) / median(scans.map((r) => r.cpuSeconds));
  console.log(`fix / scan: ${(fixSeconds / scanSeconds).toFixed(2)}× time (${cpuRatio.toFixed(2)}× CPU time), ${(Math.max(...fixes.map((r) => r.maxRssMb)) / Math.max(...scans.map((r) => r.maxRssMb))).toFixed(2)}× peak RSS (target: ≤ 2× time)`);
}
