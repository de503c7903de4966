import type { ComponentConfig } from '../../components/component-config.js';
import { array, record, str } from '../../util/object.js';
import { readConfigFile } from './config-file.js';

/**
 * The API server's authorizers, in order: from --authorization-mode (AlwaysAllow when unset), or from the
 * AuthorizationConfiguration that --authorization-config names (1.29+), which replaces the mode flag.
 */
export type Authorizers =
  | { readonly flag: 'authorization-mode'; readonly types: readonly string[]; readonly defaulted: boolean; readonly problem?: undefined }
  | { readonly flag: 'authorization-config'; readonly path: string; readonly types: readonly string[]; readonly problem?: undefined }
  /** The file exists for the API server but this scan cannot read it (a live cluster): unknown. */
  | { readonly flag: 'authorization-config'; readonly path: string; readonly types?: undefined; readonly problem?: undefined }
  | { readonly flag: 'authorization-config'; readonly path: string; readonly types?: undefined; readonly problem: string };

export function authorizers(component: ComponentConfig): Authorizers {
  const path = component.flags.value('authorization-config');
  if (path) {
    const file = readConfigFile(component, 'authorization-config', 'AuthorizationConfiguration');
    if (file === undefined) return { flag: 'authorization-config', path };
    if ('problem' in file) return { flag: 'authorization-config', path, problem: file.problem };
    const types = array(file.document['authorizers']).flatMap((authorizer) => str(record(authorizer)?.['type']) ?? []);
    return { flag: 'authorization-config', path, types };
  }
  const modes = component.flags.list('authorization-mode');
  return modes.length > 0 ? { flag: 'authorization-mode', types: modes, defaulted: false } : { flag: 'authorization-mode', types: ['AlwaysAllow'], defaulted: true };
}

/** How a message names where the authorizers come from. */
export function describeAuthorizers(found: Authorizers): string {
  if (found.flag === 'authorization-config') return found.path;
  return found.defaulted ? '--authorization-mode (not set: AlwaysAllow)' : `--authorization-mode=${found.types.join(',')}`;
}
