/**
 * Reading kubelet settings for the kubelet controls: the value the kubelet runs with (flag, then configuration
 * file, then the default of the way it is configured) and how a finding names it.
 */
import type { ComponentConfig, ComponentField, ComponentViolation } from '../../components/component-config.js';
import { kubeletSetting, parseBool, valueAt, type KubeletSetting } from '../../components/kubelet.js';
import { formatFieldPath, type FieldPath } from '../../vocabulary/field-path.js';

/** A kubelet setting: its flag, its KubeletConfiguration field, and its default with and without a configuration file. */
export interface SettingSpec {
  readonly flag: string;
  readonly config: FieldPath;
  readonly parseFlag: (value: string) => unknown;
  readonly configDefault: unknown;
  readonly flagsOnlyDefault: unknown;
}

export interface ReadSetting extends KubeletSetting {
  /**
   * The value as a finding names it: `--read-only-port=10255`, `readOnlyPort: 10255`,
   * `readOnlyPort is not set, and it defaults to 0`, or, without a configuration file,
   * `--read-only-port is not set and the kubelet has no configuration file, so it defaults to 10255`.
   */
  readonly said: string;
}

/** A boolean setting; flags-only kubelets share the configuration-file default unless told otherwise. */
export function boolSetting(flag: string, config: FieldPath, configDefault: boolean, flagsOnlyDefault = configDefault): SettingSpec {
  return { flag, config, parseFlag: parseBool, configDefault, flagsOnlyDefault };
}

/** A setting without a default (a file path, a list): unset means empty in both setups. */
export function optionalSetting(flag: string, config: FieldPath, parseFlag: (value: string) => unknown = (value) => value): SettingSpec {
  return { flag, config, parseFlag, configDefault: undefined, flagsOnlyDefault: undefined };
}

export function readSetting(component: ComponentConfig, spec: SettingSpec): ReadSetting {
  const setting = kubeletSetting(component, spec);
  return { ...setting, said: describe(component, spec, setting) };
}

/** Whether a setting holds something (a path, a non-empty list). */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}

function describe(component: ComponentConfig, spec: SettingSpec, setting: KubeletSetting): string {
  const path = formatFieldPath(spec.config);
  if (setting.source === 'flag') return `--${spec.flag}=${component.flags.value(spec.flag) ?? ''}`;
  if (setting.source === 'config') return `${path}: ${show(setting.value)}`;
  const unset = component.config ? `${path} is not set` : `--${spec.flag} is not set and the kubelet has no configuration file`;
  if (!isSet(setting.value)) return unset;
  return component.config ? `${unset}, and it defaults to ${show(setting.value)}` : `${unset}, so it defaults to ${show(setting.value)}`;
}

export function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value === '') return '""';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One finding unless `acceptable` holds for the setting's value: `${said}: ${consequence}`, at where the value comes from. */
export function requireSetting(
  component: ComponentConfig,
  spec: SettingSpec,
  acceptable: (setting: ReadSetting) => boolean,
  consequence: string,
): ComponentViolation[] {
  const setting = readSetting(component, spec);
  return acceptable(setting) ? [] : [{ at: setting.at, message: `${setting.said}: ${consequence}` }];
}

/** One finding unless the setting holds the wanted boolean. */
export function requireBool(component: ComponentConfig, spec: SettingSpec, wanted: boolean, consequence: string): ComponentViolation[] {
  return requireSetting(component, spec, (setting) => setting.value === wanted, consequence);
}

export interface FeatureGate {
  readonly enabled: boolean;
  readonly at: ComponentField;
  readonly said: string;
}

/**
 * A feature gate set explicitly, or undefined when neither `--feature-gates` nor `featureGates` names it (its
 * default applies). The kubelet merges the two gate by gate, the flag winning.
 */
export function featureGate(component: ComponentConfig, gate: string): FeatureGate | undefined {
  let fromFlag: string | undefined;
  for (const item of component.flags.list('feature-gates')) {
    const equals = item.indexOf('=');
    if (equals !== -1 && item.slice(0, equals).trim() === gate) fromFlag = item.slice(equals + 1).trim();
  }
  if (fromFlag !== undefined) return { enabled: parseBool(fromFlag), at: { flag: 'feature-gates' }, said: `--feature-gates with ${gate}=${fromFlag}` };
  const path = ['featureGates', gate];
  const value = component.config ? valueAt(component.config, path) : undefined;
  if (value === undefined) return undefined;
  return { enabled: value === true, at: { config: path }, said: `${formatFieldPath(path)}: ${show(value)}` };
}

/**
 * A Go duration (`4h0m0s`, `1.5h`, `300ms`, `0`) in seconds; undefined when it is not one. Numbers count as
 * nanoseconds, as a Go `time.Duration` would.
 */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value / 1e9;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^[-+]?0$/.test(text)) return 0;
  const match = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!match) return undefined;
  const unitSeconds: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const part of (match[2] as string).matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (unitSeconds[part[2] as string] as number);
  }
  return match[1] === '-' ? -total : total;
}
