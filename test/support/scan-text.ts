import { evaluateResource } from '../../src/engine/evaluate.js';
import { scanInputs } from '../../src/scan/scan.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { selectControls } from '../../src/engine/select.js';
import type { FrameworkId } from '../../src/engine/types.js';
import type { ClusterView } from '../../src/engine/inventory.js';
import type { Scores } from '../../src/engine/scores.js';
import { CONTROLS } from '../../src/controls/index.js';
import { loadResources, type InputError } from '../../src/loader/source.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';

export interface TextScan {
  readonly findings: Finding[];
  readonly errors: InputError[];
  readonly resources: number;
  /** Each control's assessed and failed counts (only from scanAll). */
  readonly scores?: Scores;
}

/** Scans manifest text in memory through the real loader and engine. */
export function scanText(text: string, options: { framework?: FrameworkId; version?: string; file?: string; templatePaths?: string[] } = {}): TextScan {
  const version = parseKubeVersion(options.version ?? 'latest');
  const selection = selectControls(CONTROLS, options.framework ?? 'all', version);
  const context = { controls: selection.active, version, templatePaths: TemplatePaths.parse(options.templatePaths ?? []) };
  const errors: InputError[] = [];
  const findings: Finding[] = [];
  let resources = 0;
  for (const resource of loadResources(options.file ?? 'test.yaml', Buffer.from(text), errors, false)) {
    resources++;
    findings.push(...evaluateResource(resource, context).findings);
  }
  return { findings, errors, resources };
}

/** Scans manifest text through the full scan loop, cross-resource controls included. */
export async function scanAll(
  text: string,
  options: { framework?: FrameworkId; version?: string; namespaceObjectsElsewhere?: boolean; clusterView?: ClusterView } = {},
): Promise<TextScan> {
  const errors: InputError[] = [];
  const input = { name: 'test.yaml', preferJson: false, read: async () => Buffer.from(text) };
  const result = await scanInputs([input], errors, {
    framework: options.framework ?? 'all',
    version: parseKubeVersion(options.version ?? 'latest'),
    templatePaths: new TemplatePaths(),
    namespaceObjectsElsewhere: options.namespaceObjectsElsewhere ?? false,
    // As a live cluster scan passes it: what was read in full, and findings say "in the cluster".
    ...(options.clusterView ? { clusterView: options.clusterView, searchedIn: 'in the cluster' } : {}),
  });
  return { findings: result.findings, errors, resources: result.stats.resources, scores: result.scores };
}
