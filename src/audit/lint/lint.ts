/** Runs the lint rules over each policy and turns their violations into findings that point at the policy's lines. */
import { basename } from 'node:path';
import type { Finding } from '../../vocabulary/finding.js';
import type { DetectionRule } from '../detect/rule.js';
import type { AuditPolicy } from '../policy/types.js';
import type { PolicyLintRule, PolicyViolation } from './rule.js';

export function lintPolicy(policy: AuditPolicy, rules: readonly PolicyLintRule[], detections: readonly DetectionRule[]): Finding[] {
  return rules.flatMap((rule) => rule.check({ policy, detections }).map((violation) => policyFinding(rule, policy, violation)));
}

function policyFinding(rule: PolicyLintRule, policy: AuditPolicy, violation: PolicyViolation): Finding {
  const at = violation.rule;
  return {
    controlId: rule.meta.id,
    title: rule.meta.title,
    severity: rule.meta.severity,
    pss: null,
    resource: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', namespace: null, name: policy.name ?? basename(policy.file) },
    location: { file: policy.file, line: at ? at.line : policy.line, column: at ? at.column : 1 },
    field: at ? `rules[${at.index}].${violation.field}` : violation.field,
    message: violation.message,
    remediation: rule.meta.remediation.text,
  };
}
