/**
 * A lint rule over an audit policy: catalog metadata beside a small check, like the controls. Checks ask the
 * policy what it would log for representative requests, using the same evaluator the API server's rules follow.
 */
import type { ControlMeta } from '../../engine/types.js';
import { LEVEL_RANK, type AuditLevel } from '../event.js';
import type { DetectionRule } from '../detect/rule.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { describeRequest, sampleRequest, type SampleRequest } from '../policy/sample.js';
import type { AuditDecision, AuditPolicy, AuditPolicyRule, AuditRequest } from '../policy/types.js';

export interface PolicyLintContext {
  readonly policy: AuditPolicy;
  /** The detection rules whose needs the policy must meet. */
  readonly detections: readonly DetectionRule[];
}

export interface PolicyViolation {
  /** The policy rule the finding is about; absent when it is about the policy as a whole. */
  readonly rule?: AuditPolicyRule;
  /** The field within the rule (`level`, `omitStages`), or within the policy when there is no rule. */
  readonly field: string;
  readonly message: string;
}

export interface PolicyLintRule {
  readonly meta: ControlMeta;
  check(context: PolicyLintContext): PolicyViolation[];
}

export interface Gap {
  readonly request: AuditRequest;
  readonly decision: AuditDecision;
}

/** What the policy decides for each sample request. */
export function decide(policy: AuditPolicy, samples: readonly SampleRequest[]): Gap[] {
  return samples.map((fields) => sampleRequest(fields)).map((request) => ({ request, decision: evaluatePolicy(policy, request) }));
}

/** The sample requests the policy records below `minimum` (None included). */
export function levelGaps(policy: AuditPolicy, samples: readonly SampleRequest[], minimum: AuditLevel): Gap[] {
  return decide(policy, samples).filter(({ decision }) => LEVEL_RANK[decision.level] < LEVEL_RANK[minimum]);
}

/** The sample requests the policy records at `level` or above. */
export function loggedAtLeast(policy: AuditPolicy, samples: readonly SampleRequest[], level: AuditLevel): Gap[] {
  return decide(policy, samples).filter(({ decision }) => LEVEL_RANK[decision.level] >= LEVEL_RANK[level]);
}

/**
 * One violation per deciding rule (or one for "no rule matched"), naming every request it decides wrongly: a
 * policy with one bad rule gets one finding that points at that rule, not one per request.
 */
export function violationsByRule(gaps: readonly Gap[], describe: (requests: string, decision: AuditDecision) => string): PolicyViolation[] {
  const byRule = new Map<AuditPolicyRule | undefined, Gap[]>();
  for (const gap of gaps) {
    const list = byRule.get(gap.decision.rule);
    if (list) list.push(gap);
    else byRule.set(gap.decision.rule, [gap]);
  }
  return [...byRule].map(([rule, list]) => {
    // The same request by a person and by a service account reads the same: name it once.
    const requests = [...new Set(list.map((gap) => describeRequest(gap.request)))].join(', ');
    const message = describe(requests, (list[0] as Gap).decision);
    return rule ? { rule, field: 'level', message } : { field: 'rules', message };
  });
}

/** "rule 3 (level None)" or "no rule (level None by default)", for messages. */
export function decidedBy(decision: AuditDecision): string {
  return decision.rule ? `rule ${decision.rule.index + 1} logs them at ${decision.level}` : 'no rule matches them, so they are not logged';
}
