import type { ComponentConfig, ComponentField, ComponentViolation } from '../../components/component-config.js';
import { parseBool } from '../../components/flags.js';

/**
 * Where a component's settings come from, as the checks name them: its flags (`--client-cert-auth`), or a
 * configuration file that replaces them (etcd's `--config-file`).
 */
export interface Settings {
  /** The setting's value as text; undefined when it is not set (an empty flag counts as not set). */
  value(name: string): string | undefined;
  at(name: string): ComponentField;
  /** How a message names the setting: `--client-cert-auth`. */
  label(name: string): string;
  /** How a message shows the setting with its value: `--client-cert-auth=false`. */
  show(name: string, value: string): string;
}

export function flagSettings(component: ComponentConfig): Settings {
  return {
    value: (name) => component.flags.value(name) || undefined,
    at: (name) => ({ flag: name }),
    label: (name) => `--${name}`,
    show: (name, value) => `--${name}=${value}`,
  };
}

type Source = ComponentConfig | Settings;

function settingsOf(source: Source): Settings {
  return 'flags' in source ? flagSettings(source) : source;
}

/** One finding per setting that is not set, each saying what its absence means. */
export function requireSettings(source: Source, reasons: Readonly<Record<string, string>>): ComponentViolation[] {
  const settings = settingsOf(source);
  return Object.entries(reasons)
    .filter(([name]) => settings.value(name) === undefined)
    .map(([name, why]) => ({ at: settings.at(name), message: `${settings.label(name)} is not set: ${why}` }));
}

/** One finding per setting that is set although it should not be. */
export function forbidSettings(source: Source, reasons: Readonly<Record<string, string>>): ComponentViolation[] {
  const settings = settingsOf(source);
  return Object.entries(reasons).flatMap(([name, why]) => {
    const value = settings.value(name);
    return value === undefined ? [] : [{ at: settings.at(name), message: `${settings.show(name, value)} is set: ${why}` }];
  });
}

/** A boolean setting that must be `wanted`, knowing its default when absent. */
export function requireBool(source: Source, name: string, wanted: boolean, defaultValue: boolean, why: string): ComponentViolation[] {
  const settings = settingsOf(source);
  const text = settings.value(name);
  const value = text === undefined ? undefined : parseBool(text);
  if ((value ?? defaultValue) === wanted) return [];
  const said = value === undefined ? `${settings.label(name)} is not set, and it defaults to ${defaultValue}` : settings.show(name, String(value));
  return [{ at: settings.at(name), message: `${said}: ${why}` }];
}

/** `--profiling`, on by default in every control-plane component, serves /debug/pprof on the secure port. */
export function profilingOff(component: ComponentConfig, defaultSecurePort: number): ComponentViolation[] {
  const port = component.flags.value('secure-port') ?? String(defaultSecurePort);
  return requireBool(component, 'profiling', false, true, `/debug/pprof on port ${port} shows the program's internals to any caller allowed that path, and lets it load the server`);
}

/** A legacy insecure port: open unless set to 0 (when `openByDefault`), or when set to anything else. */
export function insecurePort(component: ComponentConfig, name: string, defaultPort: number, openByDefault: boolean): ComponentViolation[] {
  const value = component.flags.value(name);
  if (value === undefined) {
    return openByDefault ? [{ at: { flag: name }, message: `--${name} is not set, so it serves plain HTTP without authentication on ${defaultPort}` }] : [];
  }
  if (Number(value) === 0) return [];
  return [{ at: { flag: name }, message: `--${name}=${value} serves plain HTTP without authentication or authorization` }];
}

export function isLoopback(address: string): boolean {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::1' || bare === 'localhost';
}

/**
 * `--bind-address` of kube-controller-manager or kube-scheduler: loopback when set. Unset passes, as in
 * kube-bench (CIS 1.3.7, 1.4.2), although the flag's own default is 0.0.0.0.
 */
export function loopbackBind(component: ComponentConfig, securePort: number): ComponentViolation[] {
  const address = component.flags.value('bind-address');
  if (address === undefined || isLoopback(address)) return [];
  return [{ at: { flag: 'bind-address' }, message: `--bind-address=${address} serves the secure port ${securePort} (health, metrics, and debugging when on) beyond this host` }];
}

/** A `--feature-gates` entry (`A=true,B=false`); undefined when the gate is not mentioned. The last mention wins. */
export function featureGate(component: ComponentConfig, name: string): boolean | undefined {
  let value: boolean | undefined;
  for (const item of component.flags.list('feature-gates')) {
    const equals = item.indexOf('=');
    if (equals !== -1 && item.slice(0, equals).trim() === name) value = parseBool(item.slice(equals + 1));
  }
  return value;
}

/**
 * The admission plugins kube-apiserver is told to enable, and the flag that tells it. The deprecated
 * `--admission-control` (still accepted in 1.37, and exclusive with --enable/--disable-admission-plugins) lists
 * every plugin that runs, so nothing is on by default with it; `--enable-admission-plugins` adds to the defaults.
 */
export function enabledAdmissionPlugins(component: ComponentConfig): { readonly names: readonly string[]; readonly flag: string; readonly onlyThese: boolean } {
  if (component.flags.has('admission-control')) return { names: component.flags.list('admission-control'), flag: 'admission-control', onlyThese: true };
  return { names: component.flags.list('enable-admission-plugins'), flag: 'enable-admission-plugins', onlyThese: false };
}
