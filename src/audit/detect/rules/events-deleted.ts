import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isControlPlaneUserName, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-EVENTS-DELETED',
  title: 'Kubernetes Events were deleted',
  rationale:
    'Events record what happened to pods and nodes; they expire on their own, so deleting them is rarely anything but ' +
    'hiding tracks (MITRE T1070, Microsoft "Delete K8s events"). The control plane\'s own clean-up (the namespace ' +
    'controller, kube-system\'s accounts) is excepted.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Find out why; keep delete on events away from people.', snippet: 'kubeharden rbac who-can delete events manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'delete', resource: 'events' }, { verb: 'deletecollection', apiGroup: 'events.k8s.io', resource: 'events', name: '' }] },
  covers: { elastic: ['Kubernetes Events Deleted'] },
  attack: ['T1070'],
};

export const rule: DetectionRule = eventRule(meta, ['events'], (event) => {
  const user = event.user?.username ?? '';
  if ((event.verb !== 'delete' && event.verb !== 'deletecollection') || isControlPlaneUserName(user) || !succeededOrUnknown(event)) return undefined;
  const what = event.verb === 'delete' ? `Event ${objectName(event)}` : `the Events of ${event.objectRef?.namespace ?? 'every namespace'}`;
  return { field: 'verb', message: `${username(event)} deleted ${what}` };
});
