import yaml from 'js-yaml';
import type { ComponentConfig } from '../../components/component-config.js';
import { isRecord, stringOf, type Json } from '../../util/object.js';

/** A YAML file a flag names, as read from the scanned host, or why it could not be used. */
export type ConfigFile = { readonly path: string; readonly document: Json } | { readonly path: string; readonly problem: string };

/**
 * The configuration file that `flag` names (`--encryption-provider-config`, `--audit-policy-file`), parsed.
 * Undefined when the flag is not set or this scan cannot read host files (a live cluster): nothing to judge.
 * `kind`, when given, is the kind the file must declare.
 */
export function readConfigFile(component: ComponentConfig, flag: string, kind?: string): ConfigFile | undefined {
  const path = component.flags.value(flag);
  if (!path || !component.reader) return undefined;
  const read = component.reader.read(path);
  if ('error' in read) return { path, problem: read.error };
  let document: unknown;
  try {
    document = yaml.load(read.text);
  } catch (error) {
    return { path, problem: `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (!isRecord(document)) return { path, problem: `${path} does not hold a YAML mapping` };
  if (kind !== undefined && document['kind'] !== kind) {
    return { path, problem: `${path} has kind: ${stringOf(document['kind'] ?? '(none)')}, not ${kind}` };
  }
  return { path, document };
}
