import { collectInputs, readInput } from '../loader/inputs.js';
import { loadResources, type InputError } from '../loader/source.js';
import { RbacGraph } from './graph.js';
import { isRbacKind, parseBinding, parseRole } from './model.js';

/** Reads every Role, ClusterRole and binding from the paths (files, directories, `-`). */
export async function loadRbac(paths: readonly string[], errors: InputError[]): Promise<RbacGraph> {
  const graph = new RbacGraph();
  for (const input of await collectInputs(paths, errors)) {
    const bytes = await readInput(input, errors);
    if (bytes === undefined) continue;
    for (const { object } of loadResources(input.name, bytes, errors, input.preferJson)) {
      const kind = String(object.kind);
      if (!isRbacKind(String(object.apiVersion), kind)) continue;
      if (kind === 'Role' || kind === 'ClusterRole') graph.addRole(parseRole(object));
      else graph.addBinding(parseBinding(object));
    }
  }
  return graph;
}
