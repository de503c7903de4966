/**
 * `node dist/bench/audit-main.js [--size-mb N] [--runs N] [--dir D] [--rules-module M] [--json]`: the
 * `audit detect` benchmark on its own (1024 MB log in /tmp/kubeharden-bench, 3 runs per pass by default).
 */
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAuditDetect } from './audit.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

function positive(name: string, fallback: number): number {
  const text = option(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, not ${text}`);
  return value;
}

const sizeMb = positive('size-mb', 1024);
const runs = positive('runs', 3);
const dir = option('dir') ?? join(tmpdir(), 'kubeharden-bench');
const rulesModule = option('rules-module');

console.log(`kubeharden audit detect benchmark · Node ${process.version} · ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}) · ${runs} runs per pass (median)`);
const result = await benchAuditDetect({ sizeMb, dir, runs, ...(rulesModule ? { rulesModule } : {}) });
const row = (name: string, pass: typeof result.baseline): string =>
  [name.padEnd(9), pass.seconds.toFixed(2).padEnd(9), pass.cpuSeconds.toFixed(2).padEnd(8), pass.mbPerSec.toFixed(1).padEnd(8), Math.round(pass.eventsPerSec).toString().padEnd(10), pass.peakRssMb.toFixed(0)].join(' ');
console.log(`log: ${result.logPath} · ${result.fileMb.toFixed(1)} MB · ${result.events} events\n`);
console.log('pass      wall s    cpu s    MB/s     events/s   peak RSS MB');
console.log(row('baseline', result.baseline));
console.log(row('detect', result.detect));
console.log(`\ndetect / baseline throughput: ${result.ratio.toFixed(2)} (target ≥ 0.60) · findings: ${result.detect.findings} · input errors: ${result.detect.errors}`);
if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
