/** Shared shape of the "the policy must see X" rules: sample requests that must be logged at least at Metadata. */
import type { ControlMeta } from '../../../engine/types.js';
import type { SampleRequest } from '../../policy/sample.js';
import { decidedBy, levelGaps, violationsByRule, type PolicyLintRule } from '../rule.js';

export function coverageRule(meta: ControlMeta, samples: readonly SampleRequest[], consequence: string): PolicyLintRule {
  return {
    meta,
    check: ({ policy }) =>
      violationsByRule(levelGaps(policy, samples, 'Metadata'), (requests, decision) => `${requests}: ${decidedBy(decision)}; ${consequence}`),
  };
}
