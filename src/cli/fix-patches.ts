import { isAbsolute, join, normalize } from 'node:path';
import type { FixResult } from '../fix/fix-inputs.js';
import { kustomizationText, strategicPatches } from '../fix/strategic-patches.js';
import { terminalText } from '../report/terminal-text.js';
import { UsageError } from './usage-error.js';
import { writeTextFile } from './output-file.js';

export const DEFAULT_PATCHES_RESOURCE = 'rendered.yaml';

/** A --patches-resource name: a file inside the patches folder, since kustomize loads nothing from outside it. */
export function checkPatchesResource(name: string): string {
  const local = normalize(name);
  if (isAbsolute(local) || local.startsWith('..') || local === '.' || local === 'kustomization.yaml') {
    throw new UsageError(`--patches-resource must name a file inside the patches folder, not ${name}`);
  }
  return local;
}

/**
 * `fix --patches DIR`: the scanned input (all files, in order) as DIR/<resource>, one strategic-merge patch per
 * fixed object, and a kustomization.yaml applying them, so `kustomize build DIR` prints the fixed objects.
 */
export function writePatches(result: FixResult, dir: string, resource: string): void {
  const { patches, unpatchable } = strategicPatches(result.files);
  const write = (name: string, text: string) => writeTextFile(join(dir, name), text);
  write(resource, result.files.map((file) => (file.original.endsWith('\n') ? file.original : `${file.original}\n`)).join('---\n'));
  for (const patch of patches) write(patch.file, patch.text);
  write('kustomization.yaml', kustomizationText(resource, patches));
  process.stderr.write(terminalText(`kubeharden: wrote ${patches.length} patch${patches.length === 1 ? '' : 'es'} and kustomization.yaml to ${dir} (resource: ${resource})`) + '\n');
  for (const reason of unpatchable) process.stderr.write(terminalText(`kubeharden: no patch for ${reason}`) + '\n');
}
