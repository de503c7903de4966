/**
 * `npm run bench`: scan throughput and memory against a parse-only baseline, in the same run.
 *
 *   npm run bench                        # 5,000 and 50,000 objects
 *   npm run bench -- --sizes 5000,50000,200000 --runs 3 --framework nsa
 *   npm run bench -- --cluster-only --cluster-objects 10000   # only the live-cluster pass
 *   npm run bench -- --no-cluster                             # skip it (and the audit volume pass)
 *   npm run bench -- --audit-volume-only                      # only the audit policy volume pass
 *   npm run bench -- --audit-only --audit-size-mb 1024 --audit-runs 3   # only audit detect on a generated log
 *   npm run bench -- --audit-serve-only [--audit-serve-seconds 600 --audit-serve-rate 25000]   # only audit serve under load
 *   npm run bench -- --no-audit                               # skip audit detect
 *   npm run bench -- --render-only [--render-runs 5]          # only helm template / kustomize build against our scan of their output
 *   npm run bench -- --vuln-images-only                       # only image reading: 50 images from the real registry (--no-vuln-images skips it)
 *   npm run bench -- --netpol-only                            # only NetworkPolicy reachability (--no-netpol skips it)
 *   npm run bench -- --memory-only                            # only peak memory against findings (--no-memory skips it)
 *   npm run bench -- --fix-only [--fix-objects 50000 --fix-runs 3]   # only fix against scan (--no-fix skips it)
 *   npm run bench -- --startup-only [--startup-runs 15]       # only --version and one-file scan against node -e '' (--no-startup skips it)
 *   npm run bench -- --vuln-match-only [--vuln-records 100000 --vuln-packages 10000 --vuln-runs 3]   # only advisory matching
 *   npm run bench -- --serve-settle-only [--serve-objects 10000]   # only the CPU one change costs the serve agent's judgement
 *   npm run bench -- --serve-only [--serve-objects 10000 --serve-rate 100 --serve-seconds 60 --serve-change in-place|labels --serve-reports policyreport|openreports|both|none --serve-report-scope resource|namespace --serve-profile DIR]   # only the serve agent (--no-serve skips it; --serve-profile: its CPU profile)
 *   npm run bench -- --report-write-cost [--report-write-namespaces 4 --report-write-rounds 3]   # only the API server's CPU per PolicyReport write, per report shape and request form
 *   npm run bench -- --report-sink-cost [--report-sink-namespaces 4 --report-sink-changes 1500 --report-sink-rounds 3]   # only the serve sink's CPU per change (this process) and the API server's per write, one write per change
 *   npm run bench -- --vap-only [--vap-requests 1000]                # only the admission cost of export vap's policies (--no-vap skips it; --vap-rounds N: rounds alternating no policy and combined, 5; --vap-profile FILE: the API server's CPU profile)
 *   npm run bench -- --memory-only --memory-sizes 50000,200000 --memory-formats table,json,sarif --memory-inputs json,yaml,yaml-stream,audit --memory-audit-mb 1024
 *
 * Each measurement runs in a fresh child process, so peak RSS belongs to that pass alone.
 */
import { benchVulnImages } from './vuln-images.js';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAuditServe } from './audit-serve.js';
import { benchAuditVolume } from './audit-volume.js';
import { benchCluster } from './cluster.js';
import { benchNetpol } from './netpol.js';
import { benchMemory } from './memory.js';
import { buildCorpus, readSourceCorpus } from './corpus.js';
import { benchFix } from './fix.js';
import { benchStartup } from './startup.js';
import { benchVulnMatch } from './vuln-match.js';
import { benchServe } from './serve.js';
import { benchServeSettle } from './serve-settle.js';
import { DEFAULT_REPORT_CHOICE, DEFAULT_REPORT_SCOPE, REPORT_CHOICES, REPORT_SCOPES, type ReportChoice, type ReportScope } from '../src/serve/report-choice.js';
import { benchRender } from './render.js';
import { benchVap } from './vap.js';
import { benchReportWriteCost } from './report-write-cost.js';
import { benchReportSinkCost } from './report-sink-cost.js';

const projectRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const worker = resolve(projectRoot, 'dist', 'bench', 'worker.js');

interface WorkerResult {
  mode: string;
  seconds: number;
  objects: number;
  bytes: number;
  findings: number;
  maxRssMb: number;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

function measure(mode: 'parse' | 'scan', directory: string, framework: string): WorkerResult {
  const result = spawnSync(process.execPath, ['--expose-gc', worker, mode, directory, framework], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`benchmark worker failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as WorkerResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** `audit detect` on a generated log of --audit-size-mb (default 1024) MB against a bare read + JSON.parse loop. */
function benchAuditDetectPass(): void {
  const args = [resolve(projectRoot, 'dist', 'bench', 'audit-main.js'), '--size-mb', option('audit-size-mb', '1024'), '--runs', option('audit-runs', '1')];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the audit detect benchmark failed');
}

/** NetworkPolicy reachability over 5,000 workloads and 2,000 policies. */
async function benchNetpolPass(): Promise<void> {
  const result = await benchNetpol();
  console.log(`\nnetpol reach · ${result.workloads} workloads × ${result.policies} policies: ${result.seconds.toFixed(2)} s, ${result.pairs} open pairs, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
}

/** Peak memory of the CLI against the number of findings (see memory.ts). */
async function benchMemoryPass(): Promise<void> {
  await benchMemory({
    projectRoot,
    sizes: option('memory-sizes', '50000,200000').split(',').map(Number),
    formats: option('memory-formats', 'table,json,sarif').split(','),
    inputs: option('memory-inputs', 'json,yaml,audit').split(',') as ('json' | 'yaml' | 'yaml-stream' | 'audit')[],
    auditMb: Number(option('memory-audit-mb', '1024')),
  });
}

/** `kubeharden fix` against `scan` on the real-world corpus replicated to --fix-objects (default 50,000). */
function benchFixPass(): void {
  const sharedRoot = process.env.KUBEHARDEN_SHARED ?? resolve(projectRoot, '..', 'shared');
  benchFix({
    projectRoot,
    source: readSourceCorpus(resolve(sharedRoot, 'corpus', 'real-world')),
    objects: Number(option('fix-objects', '50000')),
    runs: Number(option('fix-runs', '3')),
    framework: option('framework', 'nsa'),
  });
}

if (process.argv.includes('--startup-only')) {
  benchStartup(projectRoot, Number(option('startup-runs', '15')));
  process.exit(0);
}
if (process.argv.includes('--vuln-match-only')) {
  await benchVulnMatch(process.env.KUBEHARDEN_SHARED ?? resolve(projectRoot, '..', 'shared'), {
    records: Number(option('vuln-records', '100000')),
    packages: Number(option('vuln-packages', '10000')),
    runs: Number(option('vuln-runs', '3')),
  });
  process.exit(0);
}
/** `kubeharden serve`: initial sync, then a steady stream of changes (see serve.ts). */
async function benchServePass(): Promise<void> {
  const change = option('serve-change', 'in-place');
  if (change !== 'in-place' && change !== 'labels') throw new Error(`--serve-change: in-place or labels, not ${change}`);
  const reports = option('serve-reports', DEFAULT_REPORT_CHOICE);
  if (!(REPORT_CHOICES as readonly string[]).includes(reports)) throw new Error(`--serve-reports: ${REPORT_CHOICES.join(', ')}, not ${reports}`);
  // --serve-profile DIR: the agent writes a V8 CPU profile of its whole run there (bench/serve.ts).
  const profile = option('serve-profile', '');
  if (profile) process.env['KUBEHARDEN_SERVE_CPU_PROFILE'] = resolve(profile);
  const reportScope = option('serve-report-scope', DEFAULT_REPORT_SCOPE);
  if (!(REPORT_SCOPES as readonly string[]).includes(reportScope)) throw new Error(`--serve-report-scope: ${REPORT_SCOPES.join(', ')}, not ${reportScope}`);
  await benchServe(Number(option('serve-objects', '10000')), Number(option('serve-rate', '100')), Number(option('serve-seconds', '60')), change, reports as ReportChoice, reportScope as ReportScope);
}

if (process.argv.includes('--serve-only')) {
  await benchServePass();
  process.exit(0);
}
if (process.argv.includes('--report-write-cost')) {
  await benchReportWriteCost(Number(option('report-write-namespaces', '4')), Number(option('report-write-rounds', '3')));
  process.exit(0);
}
if (process.argv.includes('--report-sink-cost')) {
  await benchReportSinkCost(Number(option('report-sink-namespaces', '4')), Number(option('report-sink-changes', '1500')), Number(option('report-sink-rounds', '3')));
  process.exit(0);
}
if (process.argv.includes('--serve-settle-only')) {
  benchServeSettle(Number(option('serve-objects', '10000')));
  process.exit(0);
}
if (process.argv.includes('--vuln-images-only')) {
  await benchVulnImages();
  process.exit(0);
}
if (process.argv.includes('--fix-only')) {
  benchFixPass();
  process.exit(0);
}
if (process.argv.includes('--memory-only')) {
  await benchMemoryPass();
  process.exit(0);
}
if (process.argv.includes('--netpol-only')) {
  await benchNetpolPass();
  process.exit(0);
}
if (process.argv.includes('--audit-serve-only')) {
  // `npm run bench -- --audit-serve-only [--audit-serve-seconds 600 --audit-serve-rate 25000]`
  const result = await benchAuditServe(Number(option('audit-serve-seconds', '600')), Number(option('audit-serve-rate', '25000')));
  const rss = result.rssMb;
  console.log(`\naudit serve · ${result.events} events in ${result.seconds.toFixed(0)} s: ${result.eventsPerSecond} events/s, ${result.refusedBatches} batches answered 429, ingestion to finding p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, RSS first/max/last ${rss[0]}/${Math.max(...rss)}/${rss[rss.length - 1]} MB`);
  process.exit(0);
}
if (process.argv.includes('--audit-only')) {
  benchAuditDetectPass();
  process.exit(0);
}
if (process.argv.includes('--audit-volume-only')) {
  await benchAuditVolume(process.env.KUBEHARDEN_SHARED ?? resolve(projectRoot, '..', 'shared'));
  process.exit(0);
}
if (process.argv.includes('--render-only')) {
  await benchRender(projectRoot, process.env.KUBEHARDEN_SHARED ?? resolve(projectRoot, '..', 'shared'), Number(option('render-runs', '5')));
  process.exit(0);
}
if (process.argv.includes('--vap-only')) {
  const profile = option('vap-profile', '');
  await benchVap(Number(option('vap-requests', '1000')), profile === '' ? undefined : profile, Number(option('vap-rounds', '5')));
  process.exit(0);
}
if (process.argv.includes('--cluster-only')) {
  await benchCluster(Number(option('cluster-objects', '10000')));
  process.exit(0);
}
const sizes = option('sizes', '5000,50000').split(',').map(Number);
const runs = Number(option('runs', '3'));
const framework = option('framework', 'nsa');
const sharedRoot = process.env.KUBEHARDEN_SHARED ?? resolve(projectRoot, '..', 'shared');
const source = readSourceCorpus(resolve(sharedRoot, 'corpus', 'real-world'));

console.log(`kubeharden benchmark · Node ${process.version} · framework ${framework} · ${runs} runs per pass (median)`);
console.log(`source: ${source.length} files, ${source.reduce((s, f) => s + f.objects, 0)} objects from ../shared/corpus/real-world\n`);
console.log('objects   files    MB      parse-only s  scan s   ratio  scan objects/s  scan MB/s  parse RSS MB  scan RSS MB  findings');
const rows = [];
for (const size of sizes) {
  const corpus = buildCorpus(source, size, resolve(projectRoot, '.bench', `corpus-${size}`));
  const parse: WorkerResult[] = [];
  const scan: WorkerResult[] = [];
  for (let run = 0; run < runs; run++) {
    parse.push(measure('parse', corpus.directory, framework));
    scan.push(measure('scan', corpus.directory, framework));
  }
  const parseSeconds = median(parse.map((r) => r.seconds));
  const scanSeconds = median(scan.map((r) => r.seconds));
  const megabytes = corpus.bytes / 1e6;
  const row = {
    objects: scan[0]?.objects ?? 0,
    files: corpus.files,
    megabytes,
    parseSeconds,
    scanSeconds,
    ratio: scanSeconds / parseSeconds,
    objectsPerSecond: (scan[0]?.objects ?? 0) / scanSeconds,
    megabytesPerSecond: megabytes / scanSeconds,
    parseRssMb: Math.max(...parse.map((r) => r.maxRssMb)),
    scanRssMb: Math.max(...scan.map((r) => r.maxRssMb)),
    findings: scan[0]?.findings ?? 0,
  };
  rows.push(row);
  console.log(
    [
      String(row.objects).padEnd(9), String(row.files).padEnd(8), row.megabytes.toFixed(1).padEnd(7),
      row.parseSeconds.toFixed(2).padEnd(13), row.scanSeconds.toFixed(2).padEnd(8), row.ratio.toFixed(2).padEnd(6),
      Math.round(row.objectsPerSecond).toString().padEnd(15), row.megabytesPerSecond.toFixed(1).padEnd(10),
      row.parseRssMb.toFixed(0).padEnd(13), row.scanRssMb.toFixed(0).padEnd(12), row.findings,
    ].join(' '),
  );
}
// Report formats on the largest corpus: each renderer alone, after one scan.
const largest = Math.max(...sizes);
const formatsPass = spawnSync(process.execPath, ['--expose-gc', worker, 'formats', resolve(projectRoot, '.bench', `corpus-${largest}`), framework], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (formatsPass.status !== 0) throw new Error(`benchmark worker failed: ${formatsPass.stderr}`);
const formats = JSON.parse(formatsPass.stdout) as { objects: number; findings: number; timings: Record<string, { seconds: number; megabytes: number }> };
console.log(`\nreport formats for ${formats.objects} objects, ${formats.findings} findings (render time alone):`);
console.log('format        seconds  MB      findings/s');
for (const [format, timing] of Object.entries(formats.timings)) {
  console.log([format.padEnd(13), timing.seconds.toFixed(2).padEnd(8), timing.megabytes.toFixed(1).padEnd(7), Math.round(formats.findings / timing.seconds)].join(' '));
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ rows, formats }, null, 2));
if (!process.argv.includes('--no-startup')) benchStartup(projectRoot, Number(option('startup-runs', '15')));
if (!process.argv.includes('--no-fix')) benchFixPass();
if (!process.argv.includes('--no-netpol')) await benchNetpolPass();
if (!process.argv.includes('--no-vuln-images')) await benchVulnImages();
if (!process.argv.includes('--no-audit')) benchAuditDetectPass();
if (!process.argv.includes('--no-memory')) await benchMemoryPass();
if (!process.argv.includes('--no-serve')) await benchServePass();
if (!process.argv.includes('--no-cluster')) {
  await benchCluster(Number(option('cluster-objects', '10000')));
  await benchAuditVolume(sharedRoot);
  if (!process.argv.includes('--no-vap')) await benchVap(Number(option('vap-requests', '1000')));
}
