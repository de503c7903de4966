import type { ResourceRef } from '../vocabulary/finding.js';
import type { ComponentConfig, RunningRelease } from './component-config.js';
import { FlagSet } from './flags.js';

/**
 * The `release` component: the Kubernetes version a cluster or host runs, for the controls that judge the release
 * itself (its upstream support). Findings point at where the version was read: `file`, field `field`.
 */
export function releaseComponent(resource: ResourceRef, where: { file: string; field: string }, release: RunningRelease): ComponentConfig {
  return {
    component: 'release',
    resource,
    flags: new FlagSet([]),
    release,
    locate: () => ({ location: { file: where.file, line: 0, column: 0 }, field: where.field }),
  };
}
