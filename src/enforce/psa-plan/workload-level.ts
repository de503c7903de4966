import { CONTROLS } from '../../controls/index.js';
import { evaluateResource } from '../../engine/evaluate.js';
import { selectControls } from '../../engine/select.js';
import type { Control } from '../../engine/types.js';
import type { TemplatePaths } from '../../kube/pod-templates.js';
import type { KubeVersion } from '../../kube/version.js';
import type { LoadedResource } from '../../loader/source.js';
import type { PsaLevel } from './levels.js';

/** Why a workload fails a level: the control, the PSA check it implements, and the field. */
export interface LevelViolation {
  readonly controlId: string;
  /** The PSA check id (`runAsNonRoot`, `capabilities_restricted`, ...). */
  readonly check: string;
  readonly field: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** A workload judged at one version: the strictest level it passes, and what fails each stricter level. */
export interface WorkloadLevel {
  readonly passes: PsaLevel;
  /** What fails baseline (empty when it passes baseline). */
  readonly baseline: readonly LevelViolation[];
  /** What fails restricted: restricted's own checks and baseline's, as PSA evaluates restricted. */
  readonly restricted: readonly LevelViolation[];
}

/** The Pod Security controls of each level at each version, chosen as `scan -f pss-*` chooses them. */
const selections = new Map<string, readonly Control[]>();

function levelControls(framework: 'pss-baseline' | 'pss-restricted', version: KubeVersion): readonly Control[] {
  const key = `${framework} ${version.minor}`;
  let controls = selections.get(key);
  if (!controls) {
    controls = selectControls(CONTROLS, framework, version).active;
    selections.set(key, controls);
  }
  return controls;
}

function violationsAt(resource: LoadedResource, framework: 'pss-baseline' | 'pss-restricted', version: KubeVersion, templatePaths: TemplatePaths): LevelViolation[] {
  const { findings } = evaluateResource(resource, { controls: levelControls(framework, version), version, templatePaths });
  return findings.map((finding) => ({
    controlId: finding.controlId,
    check: finding.pss?.check ?? '',
    field: finding.field,
    message: finding.message,
    line: finding.location.line,
    column: finding.location.column,
  }));
}

/**
 * The level a workload's pod template passes at a version. Each level is judged by exactly the checks PSA runs at
 * it (the same selection as `scan -f pss-baseline` / `pss-restricted`, which agrees with every upstream fixture).
 */
export function workloadLevel(resource: LoadedResource, version: KubeVersion, templatePaths: TemplatePaths): WorkloadLevel {
  const baseline = violationsAt(resource, 'pss-baseline', version, templatePaths);
  const restricted = violationsAt(resource, 'pss-restricted', version, templatePaths);
  const passes: PsaLevel = restricted.length === 0 ? 'restricted' : baseline.length === 0 ? 'baseline' : 'privileged';
  return { passes, baseline, restricted };
}
