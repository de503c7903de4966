/**
 * What the render flags (render-options.ts) mean for a scan: how charts and overlays are rendered and which paths
 * are left out. Apart from the flag definitions so that start-up does not load the exclude matcher.
 */
import type { KubeVersion } from '../kube/version.js';
import { excludeMatcher, excludePatternProblem } from '../loader/exclude.js';
import type { CollectScanOptions } from '../render/collect.js';
import type { ScanCommandOptions } from './scan-options.js';
import { UsageError } from './usage-error.js';

/** How the scan renders and what it leaves out, from the merged options. */
export function collectOptionsFrom(options: ScanCommandOptions, version: KubeVersion, cwd: string = process.cwd()): CollectScanOptions {
  for (const pattern of options.exclude ?? []) {
    const problem = excludePatternProblem(pattern);
    if (problem) throw new UsageError(`--exclude: ${problem}`);
  }
  const exclude = excludeMatcher([{ base: cwd, patterns: options.exclude ?? [] }, ...(options.configExclude ? [options.configExclude] : [])]);
  return {
    render: {
      ...(options.helm !== undefined ? { helm: options.helm } : {}),
      ...(options.kustomize !== undefined ? { kustomize: options.kustomize } : {}),
      values: options.values ?? [],
      set: options.set ?? [],
      setString: options.setString ?? [],
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      version,
    },
    ...(exclude ? { exclude } : {}),
  };
}
