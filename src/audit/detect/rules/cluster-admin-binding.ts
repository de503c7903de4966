import { isRecord, stringOf } from '../../../util/object.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { bodyField, eventRule, objectName, username, writtenObject } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-CLUSTER-ADMIN-BINDING',
  title: 'Someone was bound to cluster-admin',
  rationale:
    'A binding to cluster-admin makes its subjects owners of the cluster. Attackers add one to keep access (MITRE ' +
    'T1098.006); a RoleBinding to it is full control of a namespace, Secrets included.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 6, changes: [{ minor: 8, change: 'rbac.authorization.k8s.io/v1 is generally available' }] },
  remediation: { text: 'Confirm the binding is intended and time-bound; bind narrower roles instead.', snippet: 'kubectl delete clusterrolebinding NAME\n' },
  references: {},
  frameworks: ['nsa'],
  needs: {
    level: 'Request',
    stage: 'ResponseComplete',
    requests: [
      { verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespace: '', name: '' },
      { verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings', name: '' },
    ],
  },
  covers: { falco: ['Attach to cluster-admin Role'], elastic: ['Kubernetes Cluster-Admin Role Binding Created'] },
  attack: ['T1098.006'],
};

export const rule: DetectionRule = eventRule(meta, ['clusterrolebindings', 'rolebindings'], (event) => {
  if (event.verb !== 'create' && event.verb !== 'update') return undefined;
  const binding = writtenObject(event);
  if (!binding || !isRecord(binding.roleRef) || binding.roleRef.name !== 'cluster-admin' || binding.roleRef.kind !== 'ClusterRole') return undefined;
  const subjects = (Array.isArray(binding.subjects) ? binding.subjects : []).filter(isRecord).map((subject) => `${stringOf(subject.kind)} ${subject.namespace ? `${stringOf(subject.namespace)}/` : ''}${stringOf(subject.name)}`);
  const kind = event.objectRef?.resource === 'clusterrolebindings' ? 'ClusterRoleBinding' : 'RoleBinding';
  return { field: `${bodyField(event)}.roleRef.name`, message: `${username(event)} bound ${subjects.join(', ') || 'nobody yet'} to cluster-admin (${kind} ${objectName(event)})` };
});

