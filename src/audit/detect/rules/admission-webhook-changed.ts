import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isSystemUserName, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-ADMISSION-WEBHOOK-CHANGED',
  title: 'A person created, changed or deleted an admission webhook',
  rationale:
    'A mutating webhook sees, and may rewrite, every object it matches (Secrets included); deleting a validating one ' +
    'switches a policy off. Both are persistence and defence-evasion steps (MITRE T1546, T1562).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 9, changes: [{ minor: 16, change: 'admissionregistration.k8s.io/v1 is generally available (v1beta1 removed in 1.22)' }] },
  remediation: { text: 'Confirm the change came from the team that owns the webhook; review which objects it matches and where it sends them.', snippet: 'kubectl get mutatingwebhookconfigurations -o yaml\n' },
  references: {},
  frameworks: ['nsa'],
  needs: {
    level: 'Metadata',
    stage: 'ResponseComplete',
    requests: [{ verb: 'create', apiGroup: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', namespace: '', name: '' }],
  },
  covers: { elastic: ['Kubernetes Admission Webhook Created or Modified'] },
  attack: ['T1546', 'T1562'],
};

const WRITES = new Set(['create', 'update', 'patch', 'delete']);

export const rule: DetectionRule = eventRule(meta, ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], (event) => {
  const user = event.user?.username ?? '';
  if (!WRITES.has(event.verb ?? '') || user === '' || isSystemUserName(user) || !succeededOrUnknown(event)) return undefined;
  const kind = event.objectRef?.resource === 'mutatingwebhookconfigurations' ? 'mutating' : 'validating';
  const did = { create: 'created', update: 'changed', patch: 'changed', delete: 'deleted' }[event.verb as 'create'];
  return { field: 'objectRef', message: `${username(event)} ${did} ${kind} webhook configuration ${objectName(event)}` };
});
