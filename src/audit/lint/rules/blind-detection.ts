import type { ControlMeta } from '../../../engine/types.js';
import { LEVEL_RANK } from '../../event.js';
import { describeRequest } from '../../policy/sample.js';
import { holdsCredentials } from './sensitive-bodies.js';
import { decide, type PolicyLintRule, type PolicyViolation } from '../rule.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-BLIND-DETECTION',
  title: 'The policy must record what the threat detections read',
  rationale:
    'Each detection reads certain fields at a certain stage: a privileged-pod rule needs the pod in requestObject ' +
    '(level Request), an exec rule needs the ResponseStarted or ResponseComplete event. A policy that logs those ' +
    'requests lower, or omits the stage, makes the detection silently blind: it never fires, and nobody notices.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Raise the level of the named requests to what the detection needs (see `kubeharden audit recommend`), or accept the blind spot.',
    snippet: '- level: Request\n  verbs: ["create", "update", "patch"]\n  resources:\n  - group: ""\n    resources: ["pods"]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const rule: PolicyLintRule = {
  meta,
  check: ({ policy, detections }) => {
    const violations: PolicyViolation[] = [];
    for (const detection of detections) {
      const { level, stage, requests } = detection.meta.needs;
      for (const { request, decision } of decide(policy, requests)) {
        // Bodies of Secrets, ConfigMaps and tokens are never worth writing into the log (AUDIT-POLICY-SENSITIVE-BODIES):
        // a detection that would need them is only asked for Metadata, the most a safe policy gives.
        const needed = holdsCredentials(request) && LEVEL_RANK[level] > LEVEL_RANK.Metadata ? 'Metadata' : level;
        const tooLow = LEVEL_RANK[decision.level] < LEVEL_RANK[needed];
        const stageOmitted = !tooLow && decision.omitStages.includes(stage);
        if (!tooLow && !stageOmitted) continue;
        const why = tooLow
          ? `it needs ${needed} but ${decision.rule ? `rule ${decision.rule.index + 1} logs it at ${decision.level}` : 'no rule logs it'}`
          : `it fires on the ${stage} stage, which rule ${(decision.rule?.index ?? 0) + 1} omits`;
        const message = `detection ${detection.meta.id} (${detection.meta.title}) is blind to ${describeRequest(request)}: ${why}`;
        violations.push(decision.rule ? { rule: decision.rule, field: tooLow ? 'level' : 'omitStages', message } : { field: 'rules', message });
        break;
      }
    }
    return violations;
  },
};
