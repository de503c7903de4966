/**
 * The `audit detect` benchmark: a generated audit log of at least `sizeMb` MB, read once by a bare
 * read/split/JSON.parse loop (the baseline) and once by kubeharden's reader and detection engine, each pass in a
 * fresh process so its peak RSS is its own. Passes alternate and the median of `runs` is kept, so a slow moment of
 * the machine does not land on one side only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAuditLog } from './audit-generate.js';
import type { AuditPassResult } from './audit-worker.js';

const here = dirname(fileURLToPath(import.meta.url));
const WORKER = resolve(here, 'audit-worker.js');
/** The built-in rule set, compiled beside the benchmark (dist/src/audit/detect/rules/index.js). */
export const DEFAULT_RULES_MODULE = resolve(here, '..', 'src', 'audit', 'detect', 'rules', 'index.js');

export interface AuditPassFigures {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly mbPerSec: number;
  readonly eventsPerSec: number;
  readonly peakRssMb: number;
}

export interface AuditBenchResult {
  readonly logPath: string;
  readonly fileMb: number;
  readonly events: number;
  readonly runs: number;
  readonly baseline: AuditPassFigures;
  readonly detect: AuditPassFigures & { readonly findings: number; readonly errors: number };
  /** Detect throughput over baseline throughput (1 = as fast as the bare loop); the target is at least 0.6. */
  readonly ratio: number;
}

export interface AuditBenchOptions {
  /** Size of the generated log in MB (10^6 bytes); the issue asks for at least 1024. */
  readonly sizeMb: number;
  /** Where the log is written, and found again by later runs. */
  readonly dir: string;
  readonly runs?: number;
  /** A module exporting `DETECTION_RULES`; the built-in set by default. */
  readonly rulesModule?: string;
}

export async function benchAuditDetect(options: AuditBenchOptions): Promise<AuditBenchResult> {
  const runs = options.runs ?? 3;
  const rulesModule = options.rulesModule ?? DEFAULT_RULES_MODULE;
  if (!existsSync(rulesModule)) throw new Error(`no detection rules at ${rulesModule}: build the project, or name a module exporting DETECTION_RULES`);
  const log = await ensureAuditLog(options.dir, options.sizeMb);
  const baseline: AuditPassResult[] = [];
  const detect: AuditPassResult[] = [];
  for (let run = 0; run < runs; run++) {
    baseline.push(runPass(['baseline', log.path]));
    detect.push(runPass(['detect', log.path, rulesModule]));
  }
  const first = detect[0] as AuditPassResult;
  if (baseline.some((pass) => pass.events !== first.events)) {
    throw new Error(`the baseline parsed ${baseline[0]?.events} events, the reader ${first.events}: they must agree`);
  }
  const baselineFigures = figures(baseline);
  const detectFigures = figures(detect);
  return {
    logPath: log.path,
    fileMb: log.bytes / 1e6,
    events: first.events,
    runs,
    baseline: baselineFigures,
    detect: { ...detectFigures, findings: first.findings, errors: first.errors },
    ratio: baselineFigures.seconds / detectFigures.seconds,
  };
}

function runPass(args: string[]): AuditPassResult {
  const pass = spawnSync(process.execPath, [WORKER, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (pass.status !== 0) throw new Error(`audit benchmark pass ${args[0]} failed: ${pass.stderr}`);
  return JSON.parse(pass.stdout) as AuditPassResult;
}

/** Median time of the runs; peak RSS is the highest any run reached. */
function figures(passes: readonly AuditPassResult[]): AuditPassFigures {
  const seconds = median(passes.map((pass) => pass.seconds));
  const { bytes, events } = passes[0] as AuditPassResult;
  return {
    seconds,
    cpuSeconds: median(passes.map((pass) => pass.cpuSeconds)),
    mbPerSec: bytes / 1e6 / seconds,
    eventsPerSec: events / seconds,
    peakRssMb: Math.max(...passes.map((pass) => pass.peakRssMb)),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
