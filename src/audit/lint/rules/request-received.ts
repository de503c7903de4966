import type { ControlMeta } from '../../../engine/types.js';
import { unionStages } from '../../policy/evaluate.js';
import type { PolicyLintRule } from '../rule.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-REQUEST-RECEIVED',
  title: 'The RequestReceived stage should be omitted',
  rationale:
    'Every request that is logged at RequestReceived is written twice: once when it arrives (before authorization, ' +
    'without a response status) and once when it completes. The first event adds nothing the second lacks, so it ' +
    'doubles the volume for no evidence; OpenShift measured exactly half the events once it was dropped. The GKE ' +
    'reference policy omits it on almost every rule.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Omit the stage for the whole policy.', snippet: 'omitStages:\n- RequestReceived\n' },
  references: {},
  frameworks: ['nsa'],
};

export const rule: PolicyLintRule = {
  meta,
  check: ({ policy }) => {
    const writing = policy.rules.filter((entry) => entry.level !== 'None' && !unionStages(policy.omitStages, entry.omitStages).includes('RequestReceived'));
    const first = writing[0];
    if (!first) return [];
    const which = writing.length === 1 ? `rule ${first.index + 1} logs` : `rules ${writing.map((entry) => entry.index + 1).join(', ')} log`;
    return [{ rule: first, field: 'omitStages', message: `${which} the RequestReceived stage: each of their requests is written twice (add omitStages: [RequestReceived] to the policy)` }];
  },
};
