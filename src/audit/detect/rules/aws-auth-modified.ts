import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, nameOf, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-AWS-AUTH-MODIFIED',
  title: "The EKS aws-auth ConfigMap, which maps AWS identities to Kubernetes users, was changed",
  rationale:
    'On EKS, kube-system/aws-auth decides which IAM roles and users become which Kubernetes users and groups: one ' +
    'line mapping an attacker\'s role to system:masters is a backdoor that survives every Kubernetes credential ' +
    'rotation (MITRE T1098.006, Stratus Red Team eks.persistence.backdoor-aws-auth-configmap). It changes when node ' +
    'groups or administrators are added, rarely otherwise.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Diff the ConfigMap against its source of truth and remove mappings nobody can explain; prefer EKS access entries, which are audited in CloudTrail.',
    snippet: 'kubectl -n kube-system get configmap aws-auth -o yaml\n',
  },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'patch', resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth' }] },
  covers: { elastic: ['EKS Authentication Configuration Modified'] },
  attack: ['T1098.006'],
};

const CHANGES = new Set(['create', 'update', 'patch', 'delete']);

export const rule: DetectionRule = eventRule(meta, ['configmaps'], (event) => {
  if (event.objectRef?.namespace !== 'kube-system' || !CHANGES.has(event.verb ?? '') || nameOf(event) !== 'aws-auth') return undefined;
  // Every identity counts: a service account rewriting the map is as much a backdoor as a person doing it.
  if (!succeededOrUnknown(event)) return undefined;
  const did = event.verb === 'delete' ? 'deleted' : event.verb === 'create' ? 'created' : 'changed';
  return { field: 'objectRef.name', message: `${username(event)} ${did} ${objectName(event)}, the map from AWS identities to Kubernetes users` };
});
