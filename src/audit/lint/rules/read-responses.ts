import type { ControlMeta } from '../../../engine/types.js';
import { SERVICE_ACCOUNT_USER, type SampleRequest } from '../../policy/sample.js';
import { loggedAtLeast, violationsByRule, type PolicyLintRule } from '../rule.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-READ-RESPONSES',
  title: 'Reads should not be logged with their responses',
  rationale:
    'At RequestResponse a list writes every object of the kind into the log, and controllers and informers re-list ' +
    'all the time: this is most of the volume of the NSA/CISA sample policy (Appendix L) and of the "gigabyte an hour" ' +
    'clusters. Who read what is already recorded at Metadata; the response adds bulk, not evidence.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Log get, list and watch at Metadata (or Request), and keep RequestResponse for writes you need in full.',
    snippet: '- level: Metadata\n  verbs: ["get", "list", "watch"]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

const SAMPLES: SampleRequest[] = [
  { verb: 'list', resource: 'pods', namespace: '', user: SERVICE_ACCOUNT_USER },
  { verb: 'watch', resource: 'pods', namespace: '', user: SERVICE_ACCOUNT_USER },
  { verb: 'get', resource: 'pods' },
  { verb: 'list', apiGroup: 'apps', resource: 'deployments' },
  { verb: 'get', resource: 'nodes', namespace: '', user: { name: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] } },
];

export const rule: PolicyLintRule = {
  meta,
  check: ({ policy }) =>
    violationsByRule(loggedAtLeast(policy, SAMPLES, 'RequestResponse'), (requests) => `${requests}: logged at RequestResponse, so every object read is written into the log again`),
};
