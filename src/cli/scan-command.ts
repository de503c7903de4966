import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { scanInputs } from '../engine/scan.js';
import type { FrameworkId } from '../engine/types.js';
import { collectInputs } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import { TemplatePaths } from '../kube/pod-templates.js';
import { NEWEST_KNOWN_MINOR, parseKubeVersion, VersionError, type KubeVersion } from '../kube/version.js';
import { colorEnabled, palette } from '../report/color.js';
import { renderJsonChunks } from '../report/json.js';
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
  allowedRegistry?: string[];
  dangerousCapability?: string[];
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
    settings: {
      allowedRegistries: (options.allowedRegistry ?? []).flatMap(splitList),
      dangerousCapabilities: options.dangerousCapability?.length ? options.dangerousCapability.flatMap(splitList) : undefined,
    },
    onInputDone: progress.update,
  });
  progress.done();

  const report = buildReport(result, { framework: options.framework, version, failOn: options.failOn });
  const toFile = options.output !== undefined;
  const colors = palette(!toFile && options.format === 'table' && colorEnabled(process.stdout, options.color, process.env));
  const chunks = options.format === 'json' ? renderJsonChunks(report) : [renderTable(report, colors)];
  // Set before writing, so a reader that closes the pipe early still gets the scan's verdict.
  process.exitCode = exitCodeFor(report);
  if (toFile) {
    try {
      await writeChunks(createWriteStream(options.output as string), chunks, true);
    } catch (error) {
      throw new UsageError(`cannot write ${options.output}: ${(error as Error).message}`);
    }
    process.stderr.write(`kubeharden: wrote ${options.format} report to ${options.output}\n`);
  } else {
    await writeChunks(process.stdout, chunks, false);
  }
  return exitCodeFor(report);
}

/** `--allowed-registry a,b --allowed-registry c` → [a, b, c]. */
function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
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
