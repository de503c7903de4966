import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { findConfigFile, loadConfigFile, type ConfigFile, type ConfigValues } from '../config/config-file.js';
import { CONTROLS } from '../controls/index.js';
import type { FrameworkId } from '../engine/types.js';
import type { Severity } from '../vocabulary/severity.js';
import type { FailOn } from '../report/report.js';
import { UsageError } from './usage-error.js';
import { portablePath } from '../exceptions/fingerprint.js';

/** The scan flags after flags, `KUBEHARDEN_*` variables and the configuration file are merged. */
export interface ScanCommandOptions {
  k8sVersion?: string;
  framework: FrameworkId;
  format: string[];
  output?: string;
  outputDir?: string;
  failOn: FailOn;
  severity: string[];
  baseline?: string;
  policyreportApi: string;
  podTemplatePath: string[];
  namespaceObjectsElsewhere?: boolean;
  allowedRegistry: string[];
  dangerousCapability: string[];
  color?: boolean;
  config?: string;
  /** Rendering charts and overlays (`scan` only). */
  helm?: string;
  kustomize?: string;
  values?: string[];
  set?: string[];
  setString?: string[];
  namespace?: string;
  /** `--exclude`, relative to the working folder. */
  exclude?: string[];
  /** `exclude:` of the configuration file, relative to its folder: added to `--exclude`, not replaced by it. */
  configExclude?: { base: string; patterns: string[] };
  diffBase?: string;
}

export interface ResolvedScanOptions {
  readonly options: ScanCommandOptions;
  readonly config: ConfigFile | undefined;
}

/** Keys whose values are paths: relative ones in the file are relative to the file's folder. */
const PATH_KEYS = new Set<keyof ConfigValues>(['output', 'outputDir', 'baseline']);

const OUTPUT_KEYS: readonly string[] = ['format', 'output', 'outputDir'];

/**
 * Precedence: a flag, then its `KUBEHARDEN_*` variable (commander records which gave the value), then
 * `.kubeharden.yaml` (`--config`, else the nearest one up to the repository root), then the built-in default.
 */
export function resolveScanOptions(command: Command, cwd: string = process.cwd()): ResolvedScanOptions {
  const options = { ...(command.opts() as ScanCommandOptions) };
  // commander turns a boolean flag on whenever its variable is set; KUBEHARDEN_...=false must mean false.
  if (command.getOptionValueSource('namespaceObjectsElsewhere') === 'env') {
    options.namespaceObjectsElsewhere = envBoolean('KUBEHARDEN_NAMESPACE_OBJECTS_ELSEWHERE');
  }
  const path = options.config ?? findConfigFile(cwd);
  if (path === undefined) return { options, config: undefined };
  // Named relative to the working folder in messages and reports, as the finding files are.
  const config = loadConfigFile(portablePath(resolve(cwd, path)), new Set(CONTROLS.map((control) => control.meta.id)));
  const target = options as unknown as Record<string, unknown>;
  const fromCaller = (key: string): boolean => ['cli', 'env'].includes(command.getOptionValueSource(key) ?? '');
  // Where reports go is one decision: a --format or --output given now replaces all of the file's output settings,
  // so `--format json` never ends up written into the file's output-dir next to its sarif.
  const callerChoseOutputs = OUTPUT_KEYS.some(fromCaller);
  for (const [key, value] of Object.entries(config.values) as [keyof ConfigValues, unknown][]) {
    if (key === 'exclude') {
      options.configExclude = { base: config.dir, patterns: value as string[] };
      continue;
    }
    if (fromCaller(key) || (callerChoseOutputs && OUTPUT_KEYS.includes(key))) continue;
    if (PATH_KEYS.has(key) && typeof value === 'string') target[key] = fromConfigDir(config, value);
    else if (key === 'format') target[key] = (value as string[]).map((spec) => formatPathFromConfig(config, spec));
    else target[key] = value;
  }
  return { options, config };
}

function envBoolean(name: string): boolean {
  const value = (process.env[name] ?? '').trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(value)) return false;
  throw new UsageError(`${name} must be true or false, not "${process.env[name]}"`);
}

function fromConfigDir(config: ConfigFile, path: string): string {
  return isAbsolute(path) ? path : resolve(config.dir, path);
}

function formatPathFromConfig(config: ConfigFile, spec: string): string {
  const equals = spec.indexOf('=');
  return equals === -1 ? spec : `${spec.slice(0, equals)}=${fromConfigDir(config, spec.slice(equals + 1).trim())}`;
}

/** `--severity critical,high` → the severities to show. */
export function parseSeverityList(values: readonly string[], allowed: readonly Severity[]): Severity[] {
  const list = values.flatMap((value) => value.split(',')).map((value) => value.trim().toLowerCase()).filter((value) => value !== '');
  for (const value of list) {
    if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--severity: "${value}" is not one of ${allowed.join(', ')}`);
  }
  return list as Severity[];
}

/** `--allowed-registry a,b --allowed-registry c` → [a, b, c]. */
export function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}
