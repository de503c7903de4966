import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isSystemUserName, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-EPHEMERAL-CONTAINER',
  title: 'An ephemeral container was added to a running pod',
  rationale:
    'kubectl debug adds a container to a running pod, sharing its namespaces and volumes: a way to run any image next ' +
    'to a workload and its secrets without changing the workload (MITRE T1609, T1611).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 23, changes: [{ minor: 25, change: 'ephemeral containers are generally available' }] },
  remediation: { text: 'Confirm the debugging session; limit update and patch on pods/ephemeralcontainers.', snippet: 'kubeharden rbac who-can patch pods/ephemeralcontainers manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers' }] },
  covers: { falco: ['EphemeralContainers Created'], elastic: ['Kubernetes Ephemeral Container Added to Pod'] },
  attack: ['T1609', 'T1611'],
};

export const rule: DetectionRule = eventRule(meta, ['pods/ephemeralcontainers'], (event) => {
  const user = event.user?.username ?? '';
  if ((event.verb !== 'update' && event.verb !== 'patch') || isSystemUserName(user) || !succeededOrUnknown(event)) return undefined;
  return { field: 'objectRef.subresource', message: `${username(event)} added an ephemeral container to pod ${objectName(event)}` };
});
