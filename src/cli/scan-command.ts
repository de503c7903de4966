import { writeFile } from 'node:fs/promises';
import { scanInputs } from '../engine/scan.js';
import type { FrameworkId } from '../engine/types.js';
import { collectInputs } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import { TemplatePaths } from '../kube/pod-templates.js';
import { NEWEST_KNOWN_MINOR, parseKubeVersion, VersionError, type KubeVersion } from '../kube/version.js';
import { colorEnabled, palette } from '../report/color.js';
import { renderJson } from '../report/json.js';
import { buildReport, exitCodeFor, type FailOn } from '../report/report.js';
import { renderTable } from '../report/table.js';
import { UsageError } from './usage-error.js';
import { progressReporter } from './progress.js';

export interface ScanCommandOptions {
  k8sVersion?: string;
  framework: FrameworkId;
  format: 'table' | 'json';
  output?: string;
  failOn: FailOn;
  podTemplatePath: string[];
  namespaceObjectsElsewhere?: boolean;
  color?: boolean;
}

export async function runScan(paths: string[], options: ScanCommandOptions): Promise<number> {
  const version = resolveVersion(options.k8sVersion);
  let templatePaths: TemplatePaths;
  try {
    templatePaths = TemplatePaths.parse(options.podTemplatePath);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (paths.filter((path) => path === '-').length > 1) throw new UsageError('standard input (-) can be given only once');

  const errors: InputError[] = [];
  const inputs = await collectInputs(paths, errors);
  const progress = progressReporter(process.stderr, process.env);
  const result = await scanInputs(inputs, errors, {
    framework: options.framework,
    version,
    templatePaths,
    namespaceObjectsElsewhere: options.namespaceObjectsElsewhere ?? false,
    onInputDone: progress.update,
  });
  progress.done();

  const report = buildReport(result, { framework: options.framework, version, failOn: options.failOn });
  const toFile = options.output !== undefined;
  const colors = palette(!toFile && options.format === 'table' && colorEnabled(process.stdout, options.color, process.env));
  const text = options.format === 'json' ? renderJson(report) : renderTable(report, colors);
  // Set before writing, so a reader that closes the pipe early still gets the scan's verdict.
  process.exitCode = exitCodeFor(report);
  if (toFile) {
    try {
      await writeFile(options.output as string, text);
    } catch (error) {
      throw new UsageError(`cannot write ${options.output}: ${(error as Error).message}`);
    }
    process.stderr.write(`kubeharden: wrote ${options.format} report to ${options.output}\n`);
  } else {
    await writeStdout(text);
  }
  return exitCodeFor(report);
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

/** Waits for stdout to drain so a large report is not cut off when the process exits. */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
