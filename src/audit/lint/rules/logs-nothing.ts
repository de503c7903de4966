import type { ControlMeta } from '../../../engine/types.js';
import { HUMAN_USER, SERVICE_ACCOUNT_USER, type SampleRequest } from '../../policy/sample.js';
import { levelGaps, type PolicyLintRule } from '../rule.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-LOGS-NOTHING',
  title: 'The policy must log something',
  rationale:
    'A policy with no rules, or whose first matching rule is a catch-all None, records no events at all: the API ' +
    'server runs with auditing nominally on and leaves no trail. This is how a "temporary" None rule put at the top ' +
    'to silence noise ends up disabling auditing.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Drop only named noisy requests with None rules, and end the policy with a catch-all Metadata rule.',
    snippet: 'rules:\n- level: None\n  nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]\n- level: Metadata\n',
  },
  references: {},
  frameworks: ['nsa'],
};

/** A broad spread of requests: if none of them is logged, nothing meaningful is. */
const SAMPLES: SampleRequest[] = [HUMAN_USER, SERVICE_ACCOUNT_USER].flatMap((user) => [
  { user, verb: 'get', resource: 'pods' },
  { user, verb: 'create', resource: 'pods' },
  { user, verb: 'delete', apiGroup: 'apps', resource: 'deployments' },
  { user, verb: 'list', resource: 'secrets', namespace: '' },
  { user, verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespace: '' },
  { user, verb: 'create', resource: 'pods', subresource: 'exec' },
  { user, verb: 'get', resourceRequest: false, path: '/api', namespace: '', resource: '', name: '' },
]);

export const rule: PolicyLintRule = {
  meta,
  check: ({ policy }) => {
    if (levelGaps(policy, SAMPLES, 'Metadata').length < SAMPLES.length) return [];
    if (policy.rules.length === 0) return [{ field: 'rules', message: 'the policy has no rules: every request is at level None and no event is written' }];
    const deciding = new Set(levelGaps(policy, SAMPLES, 'Metadata').map((gap) => gap.decision.rule).filter((entry) => entry !== undefined));
    const first = [...deciding].sort((a, b) => a.index - b.index)[0];
    const message = 'no request of any kind is logged (every one ends at level None): auditing is effectively off';
    return [first ? { rule: first, field: 'level', message: `${message}; rule ${first.index + 1} drops them` } : { field: 'rules', message }];
  },
};
