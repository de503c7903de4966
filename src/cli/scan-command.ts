import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { ConfigError, type ConfigFile } from '../config/config-file.js';
import { scanInputs, type ScanOptions, type ScanResult } from '../scan/scan.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
import { BaselineError, readBaseline } from '../exceptions/baseline.js';
import { ExceptionSet, todayUtc } from '../exceptions/exception-set.js';
import { collectScanInputs } from '../render/collect.js';
import { collectOptionsFrom } from './collect-options.js';
import { diffBaseline, fingerprintsOf } from './diff-base.js';
import type { InputError } from '../loader/source.js';
import { inputErrorText, terminalText } from '../report/terminal-text.js';
import { TemplatePaths } from '../kube/pod-templates.js';
import { NEWEST_KNOWN_MINOR, parseKubeVersion, VersionError, type KubeVersion } from '../kube/version.js';
import { colorEnabled, palette } from '../report/color.js';
import {
  DEFAULT_FILE_NAMES,
  FormatError,
  parseFormatList,
  POLICY_REPORT_APIS,
  renderFormat,
  type FormatSpec,
  type PolicyReportApi,
} from '../report/formats.js';
import { buildReport, exitCodeFor, withSeverityFilter, type BaselineInput, type Report, type ReportContext, type ReportInput } from '../report/report.js';
import { parseSeverityList, resolveScanOptions, splitList, type ScanCommandOptions } from './scan-options.js';
import { UsageError } from './usage-error.js';
import { progressReporter } from './progress.js';

export async function runScan(paths: string[], command: Command): Promise<number> {
  const given = command.opts() as Pick<ScanCommandOptions, 'diffBase' | 'baseline'>;
  if (given.diffBase !== undefined && given.baseline !== undefined) throw new UsageError('give --diff-base or --baseline, not both: each says what the findings are compared with');
  const session = prepareScan(command, paths);
  if (session.options.diffBase !== undefined && session.baseline) throw new UsageError('give --diff-base or --baseline, not both: each says what the findings are compared with');
  if (paths.filter((path) => path === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  const errors: InputError[] = [];
  const notices: InputError[] = [];
  const inputs = await collectScanInputs(paths, errors, { ...collectOptionsFrom(session.options, session.version), notices });
  const progress = progressReporter(process.stderr, process.env);
  const result = await scanInputs(inputs, errors, { ...session.scanOptions, onInputDone: progress.update });
  progress.done();
  const context = notices.length > 0 ? { notices } : {};
  if (session.options.diffBase === undefined) return emitReports(session, result, context);
  const baseline = await diffBaseline(session.options.diffBase, paths, session, fingerprintsOf(result));
  return emitReports({ ...session, baseline }, result, context);
}

/** What writing reports needs: formats and where they go, the gate, the display filter, a baseline. */
export interface ReportSession {
  readonly options: Pick<ScanCommandOptions, 'framework' | 'failOn' | 'color' | 'policyreportApi'>;
  readonly version: KubeVersion;
  readonly severities: Severity[];
  readonly destinations: FormatSpec[];
  readonly baseline: BaselineInput | undefined;
}

/** Everything a scan needs from the flags, variables and configuration file, checked before any work starts. */
export interface ScanSession extends ReportSession {
  readonly options: ScanCommandOptions;
  readonly scanOptions: ScanOptions;
}

type ReportFlags = Pick<ScanCommandOptions, 'format' | 'output' | 'outputDir' | 'failOn' | 'severity' | 'baseline' | 'policyreportApi' | 'color'>;

/** The report flags of a command that is not a scan (`audit lint`, `audit detect`): see `addReportOptions`. */
export function prepareReportSession(command: Command, inputPaths: readonly string[]): ReportSession {
  const options = command.opts() as ReportFlags;
  return {
    options: { framework: 'nsa', failOn: options.failOn, ...(options.color !== undefined ? { color: options.color } : {}), policyreportApi: options.policyreportApi },
    version: { minor: NEWEST_KNOWN_MINOR },
    ...reportOutputs(options, inputPaths),
  };
}

/** What every command that writes reports checks the same way: severities, formats and where they go, the baseline. */
function reportOutputs(options: ReportFlags, inputPaths: readonly string[]): Pick<ReportSession, 'severities' | 'destinations' | 'baseline'> {
  const severities = parseSeverityList(options.severity, SEVERITIES);
  if (!(POLICY_REPORT_APIS as readonly string[]).includes(options.policyreportApi)) {
    throw new UsageError(`--policyreport-api must be one of ${POLICY_REPORT_APIS.join(', ')}`);
  }
  const destinations = planOutputs(options.format, options.output, options.outputDir);
  checkOutputPaths(destinations, inputPaths);
  return { severities, destinations, baseline: loadBaseline(options.baseline) };
}

/** Shared by `scan`, `node` and `cluster`: resolves settings and fails fast (exit 2) on any usage error. */
export function prepareScan(command: Command, inputPaths: readonly string[]): ScanSession {
  const { options, version, scanOptions } = prepareSelection(command);
  const { severities, destinations, baseline } = reportOutputs(options, inputPaths);
  const recordAssessed = destinations.some((destination) => destination.format === 'junit');
  return { options, version, severities, destinations, baseline, scanOptions: { ...scanOptions, recordAssessed } };
}

/**
 * What to judge, from the selection flags (version, framework, configuration file and its exceptions, template
 * paths, settings): shared by every command that scans, including `fix`, which writes no reports.
 */
export function prepareSelection(command: Command): { options: ScanCommandOptions; version: KubeVersion; scanOptions: ScanOptions; config: ConfigFile | undefined } {
  let resolved;
  try {
    resolved = resolveScanOptions(command);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`configuration error: ${error.message}`);
    throw error;
  }
  const { options, config } = resolved;
  const version = resolveVersion(options.k8sVersion);
  let templatePaths: TemplatePaths;
  try {
    templatePaths = TemplatePaths.parse(options.podTemplatePath);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const exceptions = new ExceptionSet(config?.exceptions ?? [], config?.dir ?? process.cwd(), todayUtc());
  const scanOptions: ScanOptions = {
    framework: options.framework,
    version,
    templatePaths,
    namespaceObjectsElsewhere: options.namespaceObjectsElsewhere ?? false,
    settings: {
      allowedRegistries: options.allowedRegistry.flatMap(splitList),
      dangerousCapabilities: options.dangerousCapability.length ? options.dangerousCapability.flatMap(splitList) : undefined,
    },
    exceptions,
  };
  return { options, version, scanOptions, config };
}

/** Builds the report, writes every requested format, and returns the exit code. */
export async function emitReports(session: ReportSession, result: ReportInput & Pick<ScanResult, 'assessed'>, context: ReportContext = {}): Promise<number> {
  const { options, version, severities, destinations, baseline } = session;
  const fullReport = buildReport(result, { framework: options.framework, version, failOn: options.failOn, ...(baseline ? { baseline } : {}), ...context });
  const report = withSeverityFilter(fullReport, severities);
  // Set before writing, so a reader that closes the pipe early still gets the scan's verdict.
  const exitCode = exitCodeFor(fullReport);
  for (const warning of fullReport.warnings ?? []) process.stderr.write(`kubeharden: warning: ${inputErrorText(warning)}\n`);
  process.exitCode = exitCode;
  try {
    await writeReports(session, result, report, fullReport);
  } finally {
    // The findings' spill file is not needed once every report is written.
    result.store.close();
  }
  return exitCode;
}

async function writeReports(session: ReportSession, result: Pick<ScanResult, 'assessed'>, report: Report, fullReport: Report): Promise<void> {
  const { options, destinations } = session;
  for (const destination of destinations) {
    const colors = palette(destination.path === undefined && destination.format === 'table' && colorEnabled(process.stdout, options.color, process.env));
    const chunks = await renderFormat(destination.format, report, {
      fullReport,
      ...(result.assessed ? { assessed: result.assessed } : {}),
      colors,
      policyReportApi: options.policyreportApi as PolicyReportApi,
    });
    if (destination.path === undefined) {
      await writeChunks(process.stdout, chunks, false);
      continue;
    }
    try {
      mkdirSync(dirname(destination.path), { recursive: true });
      await writeChunks(createWriteStream(destination.path), chunks, true);
    } catch (error) {
      throw new UsageError(`cannot write ${destination.path}: ${(error as Error).message}`);
    }
    process.stderr.write(`kubeharden: wrote ${destination.format} report to ${terminalText(destination.path)}\n`);
  }
}

/**
 * Where each format goes: its own `FORMAT=PATH`, else `--output-dir`, else `--output` (for the one format without
 * a path), else standard output, which only one format can have.
 */
export function planOutputs(formats: readonly string[], output: string | undefined, outputDir: string | undefined): FormatSpec[] {
  let specs: FormatSpec[];
  try {
    specs = parseFormatList(formats.length > 0 ? formats : ['table']);
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(`--format: ${error.message}`);
    throw error;
  }
  const withoutPath = specs.filter((spec) => spec.path === undefined);
  if (outputDir !== undefined) {
    if (output !== undefined) throw new UsageError('give --output or --output-dir, not both');
    return specs.map((spec) => (spec.path === undefined ? { ...spec, path: join(outputDir, DEFAULT_FILE_NAMES[spec.format]) } : spec));
  }
  if (withoutPath.length > 1) {
    throw new UsageError(
      `${withoutPath.map((spec) => spec.format).join(' and ')} cannot all go to one place: use --output-dir DIR or FORMAT=PATH (e.g. --format ${withoutPath[0]?.format},${withoutPath[1]?.format}=report.out)`,
    );
  }
  if (output !== undefined) {
    if (withoutPath.length === 0) throw new UsageError('--output has nothing to hold: every format names its own file');
    return specs.map((spec) => (spec.path === undefined ? { ...spec, path: output } : spec));
  }
  return specs;
}

/** Two reports into one file would leave one of them half-written; a report over an input would destroy it. */
export function checkOutputPaths(destinations: readonly FormatSpec[], inputs: readonly string[]): void {
  const inputFiles = new Set(inputs.filter((path) => path !== '-').map((path) => resolve(path)));
  const seen = new Map<string, string>();
  for (const { format, path } of destinations) {
    if (path === undefined) continue;
    const absolute = resolve(path);
    const other = seen.get(absolute);
    if (other !== undefined) throw new UsageError(`${other} and ${format} would both be written to ${path}`);
    if (inputFiles.has(absolute)) throw new UsageError(`the ${format} report would overwrite ${path}, which is being scanned`);
    seen.set(absolute, format);
  }
}

function loadBaseline(path: string | undefined): BaselineInput | undefined {
  if (path === undefined) return undefined;
  try {
    return { file: path, fingerprints: readBaseline(path) };
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

function resolveVersion(text: string | undefined): KubeVersion {
  if (text === undefined) return { minor: NEWEST_KNOWN_MINOR };
  try {
    return parseKubeVersion(text);
  } catch (error) {
    if (error instanceof VersionError) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes the report piece by piece, waiting whenever the stream asks, so output never piles up in memory. */
async function writeChunks(stream: Writable, chunks: Iterable<string>, close: boolean): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    stream.once('error', failed);
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      for (let next = iterator.next(); !next.done; next = iterator.next()) {
        if (!stream.write(next.value)) {
          stream.once('drain', pump);
          return;
        }
      }
      stream.off('error', failed);
      if (close) stream.end(resolve);
      else resolve();
    };
    pump();
  });
}
