import type { ComponentConfig, ComponentViolation } from '../../components/component-config.js';

/** One finding per flag that is not set at all. */
export function requireFlags(component: ComponentConfig, names: readonly string[], why: string): ComponentViolation[] {
  return names.filter((name) => !component.flags.has(name)).map((name) => ({ at: { flag: name }, message: `--${name} is not set: ${why}` }));
}

/** A boolean flag that must be true (or false), with what its default is when absent. */
export function requireBool(component: ComponentConfig, name: string, wanted: boolean, defaultValue: boolean, why: string): ComponentViolation[] {
  const value = component.flags.bool(name);
  if ((value ?? defaultValue) === wanted) return [];
  const said = value === undefined ? `--${name} is not set, and it defaults to ${defaultValue}` : `--${name}=${value}`;
  return [{ at: { flag: name }, message: `${said}: ${why}` }];
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
