import { collectInputs, loadInput } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import { RbacGraph } from './graph.js';
import { isRbacKind, parseBinding, parseRole } from './model.js';

/** Reads every Role, ClusterRole and binding from the paths (files, directories, `-`). */
export async function loadRbac(paths: readonly string[], errors: InputError[]): Promise<RbacGraph> {
  const graph = new RbacGraph();
  for (const input of await collectInputs(paths, errors)) {
    for (const { object } of (await loadInput(input, errors)) ?? []) {
      const kind = String(object.kind);
      if (!isRbacKind(String(object.apiVersion), kind)) continue;
      if (kind === 'Role' || kind === 'ClusterRole') graph.addRole(parseRole(object));
      else graph.addBinding(parseBinding(object));
    }
  }
  return graph;
}
