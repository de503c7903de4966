import { podTemplateError, TemplatePaths } from '../kube/pod-templates.js';
import { collectInputs, loadInput, type Input } from '../loader/inputs.js';
import type { InputError, LoadedResource } from '../loader/source.js';
import { NetworkModelBuilder, type NetworkModel } from './model.js';

export interface LoadedNetwork {
  readonly model: NetworkModel;
  /** Every object read, for `netpol generate` (Services, ConfigMaps). */
  readonly resources: readonly LoadedResource[];
}

/**
 * Reads manifests (files, directories, `-`) into a network model. Unreadable input and invalid NetworkPolicies
 * become `errors` entries; the rest is still read.
 */
export async function loadNetwork(
  paths: readonly string[],
  errors: InputError[],
  templatePaths = new TemplatePaths(),
  // `netpol diff` renders charts and overlays (src/render/collect.ts); by default such folders are errors.
  collect: (paths: readonly string[], errors: InputError[]) => Promise<Input[]> = collectInputs,
): Promise<LoadedNetwork> {
  const builder = new NetworkModelBuilder(templatePaths);
  const resources: LoadedResource[] = [];
  for (const input of await collect(paths, errors)) {
    for (const resource of (await loadInput(input, errors)) ?? []) {
      resources.push(resource);
      builder.add(resource.object, resource.document.file);
      // A workload whose template is not a mapping has no pods in the model: say so rather than drop it silently.
      const templatePath = templatePaths.pathFor(String(resource.object.apiVersion), String(resource.object.kind));
      const malformed = templatePath === undefined ? undefined : podTemplateError(resource, templatePath);
      if (malformed) errors.push(malformed);
    }
  }
  for (const problem of builder.problems) errors.push({ file: problem.file, line: null, column: null, message: problem.message });
  return { model: builder.build(), resources };
}
