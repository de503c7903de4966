import type { ControlMeta } from '../../../engine/types.js';
import type { SampleRequest } from '../../policy/sample.js';
import { coverageRule } from './coverage.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-AUTHN-FAILURES',
  title: 'Requests that fail authentication must be logged',
  rationale:
    'A request with a bad or missing credential is evaluated against the policy without a user, so rules that name ' +
    'users or groups never match it. A policy without a rule that applies to everyone drops these events, and ' +
    'credential guessing or scanning of the API server goes unseen.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'End the policy with a catch-all Metadata rule that names no users or groups.', snippet: '- level: Metadata\n' },
  references: {},
  frameworks: ['nsa'],
};

const SAMPLES: SampleRequest[] = [
  { user: null, verb: 'get', resourceRequest: false, path: '/api', namespace: '', resource: '', name: '' },
  { user: null, verb: 'list', apiGroup: '', resource: 'secrets', namespace: '' },
  { user: null, verb: 'create', resource: 'pods', subresource: 'exec' },
];

export const rule = coverageRule(meta, SAMPLES, 'failed logins and unauthenticated probing are not recorded');
