/**
 * One benchmark pass in its own process: `parse` (the scan's loader only: read, split, parse), `scan` (the full scan and the
 * JSON report), `fix` (`kubeharden fix --risk review`: scan, edit, re-scan, and the unified diff it prints), or
 * `formats` (one scan, then each report format rendered and timed on its own).
 */
import { stat } from 'node:fs/promises';
import { collectInputs, loadInput } from '../src/loader/inputs.js';
import type { InputError } from '../src/loader/source.js';
import { scanInputs } from '../src/scan/scan.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { parseKubeVersion } from '../src/kube/version.js';
import { buildReport } from '../src/report/report.js';
import { renderJsonChunks } from '../src/report/json.js';
import { FORMAT_IDS, POLICY_REPORT_APIS, renderFormat } from '../src/report/formats.js';
import { palette } from '../src/report/color.js';
import type { FrameworkId } from '../src/engine/types.js';
import { fixInputs } from '../src/fix/fix-inputs.js';
import { unifiedDiff } from '../src/fix/unified-diff.js';

const [mode, directory, framework] = process.argv.slice(2) as ['parse' | 'scan' | 'fix' | 'formats', string, FrameworkId];

const errors: InputError[] = [];
const inputs = await collectInputs([directory], errors);
let bytes = 0;
for (const input of inputs) bytes += (await stat(input.name)).size;
let objects = 0;
let findings = 0;
let reportBytes = 0;
const started = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();

if (mode === 'parse') {
  // The baseline: the loader the scan uses (reading, UTF-8 decoding, documents or List items, the YAML and JSON
  // parsers) and nothing else, so the scan's cost is measured against the same parsing.
  for (const input of inputs) {
    for (const _resource of (await loadInput(input, errors)) ?? []) objects++;
  }
} else if (mode === 'fix') {
  const version = parseKubeVersion('latest');
  const result = await fixInputs(inputs, errors, { scan: { framework, version, templatePaths: new TemplatePaths() }, risk: 'review' });
  // The diff is what `kubeharden fix` prints by default: rendered in the timing, as scan's JSON report is.
  for (const file of result.files) reportBytes += unifiedDiff(file.name, file.name, file.original, file.fixed).length;
  objects = result.files.filter((file) => file.fixed !== file.original).length; // files changed (fix does not count objects)
  findings = result.outcomes.length;
} else if (mode === 'formats') {
  const version = parseKubeVersion('latest');
  const result = await scanInputs(inputs, errors, { framework, version, templatePaths: new TemplatePaths(), recordAssessed: true });
  const report = buildReport(result, { framework, version, failOn: 'high' });
  const timings: Record<string, { seconds: number; megabytes: number }> = {};
  for (const format of FORMAT_IDS) {
    const start = process.hrtime.bigint();
    let length = 0;
    const context = { fullReport: report, ...(result.assessed ? { assessed: result.assessed } : {}), colors: palette(false), policyReportApi: POLICY_REPORT_APIS[0] };
    for (const chunk of await renderFormat(format, report, context)) length += Buffer.byteLength(chunk);
    timings[format] = { seconds: Number(process.hrtime.bigint() - start) / 1e9, megabytes: length / 1e6 };
  }
  process.stdout.write(JSON.stringify({ mode, objects: result.stats.resources, findings: result.store.size, timings }));
  process.exit(0);
} else {
  const version = parseKubeVersion('latest');
  const result = await scanInputs(inputs, errors, { framework, version, templatePaths: new TemplatePaths() });
  const report = buildReport(result, { framework, version, failOn: 'high' });
  for (const chunk of renderJsonChunks(report)) reportBytes += chunk.length; // rendered as a user gets it, in the timing
  objects = result.stats.resources;
  findings = result.store.size;
}

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// CPU time (user + system) of the pass: on a shared machine it holds when wall time waits for a core.
const cpu = process.cpuUsage(cpuAtStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({ mode, seconds, cpuSeconds, objects, bytes, findings, reportBytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
