/**
 * Catalog metadata of everything that can produce a finding: the controls, the audit-policy lint rules and the
 * detection rules. Every report format looks rules up here, so a new family of rules shows up in all of them.
 */
import { DETECTION_RULES } from '../audit/detect/rules/index.js';
import { POLICY_LINT_RULES } from '../audit/lint/rules/index.js';
import { CONTROLS } from '../controls/index.js';
import type { ControlMeta } from '../engine/types.js';
import { VULNERABLE_COMPONENT_RULE, VULNERABLE_PACKAGE_RULE } from './vulnerability-rule.js';

const META_BY_ID: ReadonlyMap<string, ControlMeta> = new Map(
  [...CONTROLS, ...POLICY_LINT_RULES, ...DETECTION_RULES, { meta: VULNERABLE_PACKAGE_RULE }, { meta: VULNERABLE_COMPONENT_RULE }].map((rule) => [rule.meta.id, rule.meta]),
);

/** Controls that judge the input as a whole: their passes are not per resource. */
const CROSS_RESOURCE: ReadonlySet<string> = new Set(CONTROLS.filter((control) => control.scope === 'inventory').map((control) => control.meta.id));

export function ruleMeta(id: string): ControlMeta | undefined {
  return META_BY_ID.get(id);
}

export function isCrossResource(id: string): boolean {
  return CROSS_RESOURCE.has(id);
}
