import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isControlPlaneUserName, objectName, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-SYSTEM-ROLE-MODIFIED',
  title: 'A built-in system: role was changed or deleted',
  rationale:
    'The system: roles are what the control plane, nodes and controllers run with. Widening one quietly grants every ' +
    'component that uses it more rights; deleting one breaks them. Neither is routine (Falco "System ClusterRole ' +
    'Modified/Deleted"; system:coredns and system:managed-certificate-controller are excepted as Falco does). The ' +
    'control plane\'s own changes are excepted too: kube-apiserver reconciles these roles on every upgrade.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 6, changes: [{ minor: 8, change: 'rbac.authorization.k8s.io/v1 is generally available' }] },
  remediation: { text: 'Restore the role (the API server reconciles annotated bootstrap roles at restart) and find out who changed it.', snippet: 'kubectl auth reconcile -f role.yaml\n' },
  references: {},
  frameworks: ['nsa'],
  needs: {
    level: 'Metadata',
    stage: 'ResponseComplete',
    requests: [{ verb: 'patch', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: 'system:node' }, { verb: 'delete', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: 'system:node' }],
  },
  covers: { falco: ['System ClusterRole Modified/Deleted'] },
  attack: ['T1098.006', 'T1562'],
};

const EXCEPTED = new Set(['system:coredns', 'system:managed-certificate-controller']);
const CHANGES = new Set(['update', 'patch', 'delete']);

export const rule: DetectionRule = eventRule(meta, ['roles', 'clusterroles'], (event) => {
  const name = event.objectRef?.name ?? '';
  if (!CHANGES.has(event.verb ?? '') || !name.startsWith('system:') || EXCEPTED.has(name)) return undefined;
  // kube-apiserver reconciles the bootstrap roles on every upgrade, and kube-system's controllers aggregate them.
  if (isControlPlaneUserName(event.user?.username ?? '')) return undefined;
  return { field: 'objectRef.name', message: `${username(event)} ${event.verb === 'delete' ? 'deleted' : 'changed'} the built-in role ${objectName(event)}` };
});
