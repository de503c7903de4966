import type { FindingLocation, ResourceRef } from '../vocabulary/finding.js';
import { formatFieldPath, type FieldPath } from '../vocabulary/field-path.js';
import type { ResourceDocument } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, ComponentField, HostReader } from './component-config.js';
import type { FlagSet } from './flags.js';

export interface KubeletSources {
  /** The node's name, or the host's when scanning a node. */
  readonly name: string;
  readonly flags: FlagSet;
  /** Where flag number `index` is written (a systemd drop-in, kubeadm-flags.env, the node's command line). */
  readonly flagLocation: (index: number | undefined) => FindingLocation;
  /** The KubeletConfiguration, with the document it came from (a file, or `configz` of a live node). */
  readonly config?: { readonly object: Record<string, unknown>; readonly document: ResourceDocument; readonly prefix: FieldPath };
  readonly reader?: HostReader;
}

/** A kubelet as the controls see it: flags override the configuration file, as the kubelet itself applies them. */
export function kubeletComponent(sources: KubeletSources): ComponentConfig {
  const { flags, config } = sources;
  const resource: ResourceRef = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', namespace: null, name: sources.name };
  return {
    component: 'kubelet',
    resource,
    flags,
    ...(config ? { config: config.object } : {}),
    ...(sources.reader ? { reader: sources.reader } : {}),
    locate(at: ComponentField) {
      if ('flag' in at || !config) {
        const flag = 'flag' in at ? flags.get(at.flag) : undefined;
        return { location: sources.flagLocation(flag?.index), field: 'flag' in at ? `--${at.flag}` : '' };
      }
      const path = 'config' in at ? at.config : [];
      const position = config.document.position([...config.prefix, ...path]);
      return { location: { file: config.document.file, line: position.line, column: position.column }, field: formatFieldPath(path) };
    },
  };
}

export interface KubeletSetting {
  readonly value: unknown;
  /** Where the value comes from: what a finding points at. */
  readonly at: ComponentField;
  readonly source: 'flag' | 'config' | 'default';
}

/**
 * The value a kubelet runs with. A flag beats the configuration file; without either, the default depends on how
 * the kubelet is configured: with a KubeletConfiguration file the defaults are the secure v1beta1 ones
 * (anonymous off, Webhook authorization, no read-only port), with flags alone the legacy flag defaults apply
 * (anonymous on, AlwaysAllow, read-only port 10255).
 */
export function kubeletSetting(
  component: ComponentConfig,
  setting: { readonly flag: string; readonly config: FieldPath; readonly parseFlag: (value: string) => unknown; readonly configDefault: unknown; readonly flagsOnlyDefault: unknown },
): KubeletSetting {
  const flag = component.flags.get(setting.flag);
  if (flag) return { value: setting.parseFlag(flag.value), at: { flag: setting.flag }, source: 'flag' };
  if (component.config) {
    const value = valueAt(component.config, setting.config);
    if (value !== undefined) return { value, at: { config: setting.config }, source: 'config' };
    return { value: setting.configDefault, at: { config: setting.config }, source: 'default' };
  }
  return { value: setting.flagsOnlyDefault, at: { flag: setting.flag }, source: 'default' };
}

export function valueAt(object: Record<string, unknown>, path: FieldPath): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = isRecord(current) ? current[key] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

export { parseBool } from './flags.js';
export const parseNumber = (value: string): number => Number(value);
