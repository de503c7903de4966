import type { Command } from 'commander';
import yaml from 'js-yaml';
import { CONTROLS } from '../controls/index.js';
import { exportVap, VapVersionError, type VapExport } from '../enforce/vap/export-vap.js';
import type { VapAction } from '../enforce/vap/actions.js';
import type { VapSplit } from '../enforce/vap/splits.js';
import { todayUtc } from '../exceptions/exception-set.js';
import { DEFAULT_SETTINGS } from '../engine/types.js';
import { terminalText } from '../report/terminal-text.js';
import { prepareSelection } from './scan-command.js';
import { splitList } from './scan-options.js';
import { UsageError } from './usage-error.js';
import { writeOutput } from './output-file.js';

interface ExportVapOptions {
  controls: string[];
  action: VapAction;
  split: VapSplit;
  paramsNamespace: string;
  output?: string;
}

/** `kubeharden export vap`: writes the policies (stdout or --output) and lists what was not exported on stderr. */
export function runExportVap(command: Command): number {
  // The scan's own reading of flags, variables and .kubeharden.yaml: version, framework, settings, template paths.
  const { options, version, scanOptions, config } = prepareSelection(command);
  const own = command.opts() as ExportVapOptions;
  const controls = own.controls.flatMap(splitList);
  const known = new Set(CONTROLS.map((control) => control.meta.id));
  const unknown = controls.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`--controls: unknown control ${unknown.join(', ')} (see kubeharden controls)`);

  let result: VapExport;
  try {
    result = exportVap({
      catalog: CONTROLS,
      version,
      framework: options.framework,
      ...(controls.length > 0 ? { controls } : {}),
      action: own.action,
      split: own.split,
      settings: scanOptions.settings ?? DEFAULT_SETTINGS,
      templatePaths: scanOptions.templatePaths,
      exceptions: config?.exceptions ?? [],
      today: todayUtc(),
      paramsNamespace: own.paramsNamespace,
    });
  } catch (error) {
    if (error instanceof VapVersionError) throw new UsageError(error.message);
    throw error;
  }
  const text = vapYaml(result);
  writeOutput(own.output, text);
  process.stderr.write(summary(result));
  return 0;
}

/** The objects as one YAML stream, headed by what was left out and why (so the file itself says it). */
export function vapYaml(result: VapExport): string {
  const header = [
    `# kubeharden export vap: ${result.exported.length} controls as ${policyCount(result)} ValidatingAdmissionPolicies (${result.apiVersion})`,
    ...(result.exported.some((e) => e.notCovered) ? ['# Exported in part (what one object cannot show is left to scans):', ...result.exported.flatMap((e) => (e.notCovered ? [`#   ${e.id}: ${e.notCovered}`] : []))] : []),
    ...(result.notExported.length > 0 ? ['# Not exported:', ...result.notExported.map((n) => `#   ${n.id}: ${n.reason}`)] : []),
    ...(result.skippedExceptions.length > 0 ? ['# Exceptions not exported:', ...result.skippedExceptions.map((s) => `#   ${s.source}: ${s.reason}`)] : []),
  ];
  const documents = result.objects.map((object) => yaml.dump(object, { lineWidth: -1, noRefs: true }));
  return `${header.map((line) => line.replace(/\n/g, ' ')).join('\n')}\n${documents.map((d) => `---\n${d}`).join('')}`;
}

function summary(result: VapExport): string {
  const lines = [`exported ${result.exported.length} controls as ${policyCount(result)} ${result.apiVersion} ValidatingAdmissionPolicies; ${result.notExported.length} not exported (listed at the top of the output)`];
  for (const skipped of result.skippedExceptions) lines.push(`exception ${skipped.source} not exported: ${skipped.reason}`);
  return lines.map((line) => `kubeharden: ${terminalText(line)}\n`).join('');
}

function policyCount(result: VapExport): number {
  return result.objects.filter((object) => object.kind === 'ValidatingAdmissionPolicy').length;
}
