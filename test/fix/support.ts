import { fixInputs, type FixResult } from '../../src/fix/fix-inputs.js';
import type { ApplicableRisk } from '../../src/fix/fix-module.js';
import type { FrameworkId } from '../../src/engine/types.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import type { InputError } from '../../src/loader/source.js';

/** `fix` over manifest text in memory, through the real scan, fixes and re-scan. */
export async function fixText(text: string, options: { risk?: ApplicableRisk; version?: string; framework?: FrameworkId; file?: string } = {}): Promise<FixResult> {
  const errors: InputError[] = [];
  const file = options.file ?? 'test.yaml';
  return fixInputs([{ name: file, preferJson: file.endsWith('.json'), read: async () => Buffer.from(text) }], errors, {
    scan: { framework: options.framework ?? 'pss-restricted', version: parseKubeVersion(options.version ?? 'latest'), templatePaths: new TemplatePaths() },
    risk: options.risk ?? 'review',
  });
}
