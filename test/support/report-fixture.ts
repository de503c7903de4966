import { resolve } from 'node:path';
import { collectInputs, type Input } from '../../src/loader/inputs.js';
import type { InputError } from '../../src/loader/source.js';
import { scanInputs, type ScanOptions, type ScanResult } from '../../src/scan/scan.js';
import type { FrameworkId } from '../../src/engine/types.js';
import { ExceptionSet, todayUtc, type ExceptionRule } from '../../src/exceptions/exception-set.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { buildReport, type Report, type ReportOptions } from '../../src/report/report.js';
import { PROJECT_ROOT } from './paths.js';

export interface FixtureOptions {
  readonly framework?: FrameworkId;
  readonly version?: string;
  readonly exceptions?: readonly ExceptionRule[];
  readonly report?: Partial<Omit<ReportOptions, 'framework' | 'version'>>;
  readonly scan?: Partial<ScanOptions>;
}

/** A real scan of files or folders (relative to the project root), turned into the report every format renders. */
export async function reportForPaths(paths: readonly string[], options: FixtureOptions = {}): Promise<Report> {
  return (await scanPaths(paths, options)).report;
}

/** The scan result (with the assessed resources JUnit lists) and its report. */
export async function scanPaths(paths: readonly string[], options: FixtureOptions = {}): Promise<{ result: ScanResult; report: Report }> {
  const errors: InputError[] = [];
  const inputs = await collectInputs(paths.map((path) => resolve(PROJECT_ROOT, path)), errors);
  return scanToReport(inputs, errors, { ...options, scan: { recordAssessed: true, ...options.scan } });
}

/** The same, for manifest text held in memory (named `name` in the report). */
export async function reportForText(text: string, options: FixtureOptions & { name?: string } = {}): Promise<Report> {
  const input = { name: options.name ?? 'manifests.yaml', preferJson: false, read: async () => Buffer.from(text) };
  return (await scanToReport([input], [], options)).report;
}

async function scanToReport(inputs: readonly Input[], errors: InputError[], options: FixtureOptions): Promise<{ result: ScanResult; report: Report }> {
  const framework = options.framework ?? 'nsa';
  const version = parseKubeVersion(options.version ?? 'latest');
  const result = await scanInputs(inputs, errors, {
    framework,
    version,
    templatePaths: new TemplatePaths(),
    exceptions: new ExceptionSet(options.exceptions ?? [], PROJECT_ROOT, todayUtc()),
    ...options.scan,
  });
  return { result, report: buildReport(result, { framework, version, failOn: 'high', ...options.report }) };
}
