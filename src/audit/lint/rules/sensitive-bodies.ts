import type { ControlMeta } from '../../../engine/types.js';
import { SERVICE_ACCOUNT_USER, type SampleRequest } from '../../policy/sample.js';
import { loggedAtLeast, violationsByRule, type PolicyLintRule } from '../rule.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-SENSITIVE-BODIES',
  title: 'Secrets, ConfigMaps and token reviews must be logged at Metadata, never with their bodies',
  rationale:
    'At Request or RequestResponse the API server writes request and response bodies into the log: every Secret read ' +
    'puts its base64 data there, token reviews carry bearer tokens, and ConfigMaps often hold credentials. The audit ' +
    'log then becomes a credential store readable by anyone who can read logs. The GKE reference policy and the CIS ' +
    'benchmark log these resources at Metadata; the NSA/CISA sample policy (Appendix L) logs them in full.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add a Metadata rule for these resources above every rule that logs bodies.',
    snippet:
      '- level: Metadata\n  resources:\n  - group: ""\n    resources: ["secrets", "configmaps", "serviceaccounts/token"]\n  - group: authentication.k8s.io\n    resources: ["tokenreviews"]\n',
  },
  references: { cis: ['3.2.2'] },
  frameworks: ['nsa'],
};

/** Resources whose bodies hold credentials: no other rule may ask for them at Request or above. */
export function holdsCredentials(request: { apiGroup: string; resource: string; subresource: string }): boolean {
  if (request.apiGroup === 'authentication.k8s.io') return request.resource === 'tokenreviews';
  if (request.apiGroup !== '') return false;
  return request.resource === 'secrets' || request.resource === 'configmaps' || (request.resource === 'serviceaccounts' && request.subresource === 'token');
}

const secretReads = ['get', 'list', 'watch'].map((verb): SampleRequest => ({ verb, resource: 'secrets' }));
const SAMPLES: readonly SampleRequest[] = [
  ...secretReads,
  ...secretReads.map((request) => ({ ...request, user: SERVICE_ACCOUNT_USER })),
  { verb: 'create', resource: 'secrets' },
  { verb: 'update', resource: 'secrets' },
  { verb: 'get', resource: 'configmaps' },
  { verb: 'list', resource: 'configmaps', user: SERVICE_ACCOUNT_USER },
  { verb: 'create', resource: 'configmaps' },
  { verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', namespace: '', user: SERVICE_ACCOUNT_USER },
  { verb: 'create', resource: 'serviceaccounts', subresource: 'token' },
];

export const rule: PolicyLintRule = {
  meta,
  check: ({ policy }) =>
    violationsByRule(
      loggedAtLeast(policy, SAMPLES, 'Request'),
      (requests, decision) => `${requests}: logged at ${decision.level}, so Secret data, tokens or ConfigMap values are written into the audit log`,
    ),
};
