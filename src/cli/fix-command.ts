import { isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { fixInputs, type FixOutcome, type FixResult, type OutcomeStatus } from '../fix/fix-inputs.js';
import type { ApplicableRisk } from '../fix/fix-module.js';
import { unifiedDiff } from '../fix/unified-diff.js';
import { collectInputs, STDIN_NAME } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import { inputErrorText, terminalText } from '../report/terminal-text.js';
import { SEVERITIES } from '../vocabulary/severity.js';
import type { Finding } from '../vocabulary/finding.js';
import { runFixCluster } from './fix-cluster-command.js';
import { summaryText } from './fix-summary.js';
import { checkPatchesResource, DEFAULT_PATCHES_RESOURCE, writePatches } from './fix-patches.js';
import { prepareSelection } from './scan-command.js';
import { parseSeverityList } from './scan-options.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';
import { writeTextFile } from './output-file.js';

interface FixFlags {
  readonly risk: ApplicableRisk;
  readonly write?: boolean;
  readonly outputDir?: string;
  readonly severity: string[];
  readonly cluster?: boolean;
  readonly patches?: string;
  readonly patchesResource?: string;
}

/** `kubeharden fix`: exit 0 when every selected finding is gone after the fix, 1 when some remain, 2 on input errors. */
export async function runFix(paths: string[], command: Command): Promise<number> {
  const { scanOptions, options } = prepareSelection(command);
  const flags = command.opts() as FixFlags;
  // `outputDir` of a configuration file is where reports go, not fixed copies: only the flag counts here.
  const outputDir = command.getOptionValueSource('outputDir') === 'cli' ? flags.outputDir : undefined;
  const severities = parseSeverityList(flags.severity, SEVERITIES);
  const selects = severities.length > 0 ? { selects: (finding: Finding) => severities.includes(finding.severity) } : {};
  if (flags.cluster) {
    if (flags.patches !== undefined) throw new UsageError('--patches writes Kustomize patches for files; with --cluster, --output-dir writes JSON patches');
    return runFixCluster(paths, command, { scan: scanOptions, risk: flags.risk, ...selects }, outputDir, options.k8sVersion !== undefined);
  }
  if (paths.length === 0) throw new UsageError('give the paths to fix, - for standard input, or --cluster');
  if ([flags.write, outputDir, flags.patches].filter((mode) => mode !== undefined).length > 1) throw new UsageError('give one of --write, --output-dir and --patches');
  const patchesResource = checkPatchesResource(flags.patchesResource ?? DEFAULT_PATCHES_RESOURCE);
  if (paths.filter((path) => path === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  if (paths.includes('-') && (flags.write || outputDir !== undefined)) throw new UsageError('standard input (-) can only be shown as a diff: leave out --write and --output-dir');
  const errors: InputError[] = [];
  const inputs = await collectInputs(paths, errors);
  const result = await fixInputs(inputs, errors, {
    scan: scanOptions,
    risk: flags.risk,
    ...selects,
  });
  if (flags.patches !== undefined) writePatches(result, flags.patches, patchesResource);
  else if (flags.write) writeFixed(result, (name) => name);
  else if (outputDir !== undefined) writeFixed(result, (name) => join(outputDir, copyPath(name)), true);
  else for (const file of result.files) process.stdout.write(unifiedDiff(file.name, file.name, file.original, file.fixed));
  process.stderr.write(summaryText(result.outcomes));
  for (const error of result.errors) process.stderr.write(`kubeharden: ${inputErrorText(error)}\n`);
  if (result.errors.length > 0) return EXIT_USAGE;
  return result.remaining.length === 0 ? 0 : 1;
}

/** Where a fixed copy of an input goes under --output-dir: its path relative to the working folder, kept inside DIR. */
function copyPath(name: string): string {
  const local = isAbsolute(name) ? relative(process.cwd(), name) : name;
  return local.split(/[\\/]/).filter((part) => part !== '..' && part !== '').join('/');
}

function writeFixed(result: FixResult, target: (name: string) => string, everyFile = false): void {
  for (const file of result.files) {
    if (file.name === STDIN_NAME || (!everyFile && file.fixed === file.original)) continue;
    const path = target(file.name);
    writeTextFile(path, file.fixed);
    if (file.fixed !== file.original) process.stderr.write(`kubeharden: fixed ${terminalText(path)}\n`);
  }
}

