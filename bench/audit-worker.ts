/**
 * One `audit detect` benchmark pass in its own process, so peak RSS is that pass's alone:
 *
 *   node dist/bench/audit-worker.js baseline LOG
 *   node dist/bench/audit-worker.js detect LOG RULES_MODULE
 *
 * `baseline` is the bare loop a user would write: read stream, split lines, JSON.parse, nothing else. `detect` is
 * `audit detect` up to its report: kubeharden's reader (line numbers, sizes, validation, gzip check, errors)
 * feeding the detection engine with every rule of RULES_MODULE (its `DETECTION_RULES` export), hits made findings.
 */
import { createReadStream, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { detectInLogs } from '../src/audit/detect/detect.js';
import { DEFAULT_DETECTION_SETTINGS, type DetectionRule } from '../src/audit/detect/rule.js';
import type { InputError } from '../src/loader/source.js';

export interface AuditPassResult {
  readonly mode: 'baseline' | 'detect';
  readonly seconds: number;
  /** CPU time (user + system): steadier than wall time when other work shares the machine. */
  readonly cpuSeconds: number;
  readonly events: number;
  readonly bytes: number;
  readonly findings: number;
  readonly errors: number;
  readonly peakRssMb: number;
}

const [mode, log, rulesModule] = process.argv.slice(2);
if ((mode !== 'baseline' && mode !== 'detect') || !log || (mode === 'detect' && !rulesModule)) {
  process.stderr.write('usage: audit-worker.js baseline LOG | detect LOG RULES_MODULE\n');
  process.exit(2);
}

const rules = mode === 'detect' ? await loadRules(rulesModule as string) : [];
const bytes = statSync(log).size;
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const counts = mode === 'baseline' ? await bareParseLoop(log) : await detect(log, rules);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const result: AuditPassResult = {
  mode, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes, ...counts,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(JSON.stringify(result));

async function loadRules(specifier: string): Promise<readonly DetectionRule[]> {
  const module = (await import(pathToFileURL(specifier).href)) as { DETECTION_RULES?: readonly DetectionRule[] };
  if (!Array.isArray(module.DETECTION_RULES) || module.DETECTION_RULES.length === 0) {
    throw new Error(`${specifier} exports no DETECTION_RULES`);
  }
  return module.DETECTION_RULES;
}

async function bareParseLoop(path: string): Promise<{ events: number; findings: number; errors: number }> {
  let events = 0;
  let errors = 0;
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      if (newline > start) {
        try {
          JSON.parse(text.slice(start, newline));
          events++;
        } catch {
          errors++;
        }
      }
      start = newline + 1;
    }
    rest = text.slice(start);
  }
  return { events, findings: 0, errors };
}

/** What `kubeharden audit detect` does before rendering: read, detect, and turn hits into findings. */
async function detect(path: string, rules: readonly DetectionRule[]): Promise<{ events: number; findings: number; errors: number }> {
  const errors: InputError[] = [];
  const run = await detectInLogs([path], rules, DEFAULT_DETECTION_SETTINGS, errors);
  return { events: run.events, findings: run.findings.store.size, errors: errors.length };
}
