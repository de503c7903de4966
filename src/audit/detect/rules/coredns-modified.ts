import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isControlPlaneUserName, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-COREDNS-MODIFIED',
  title: 'The cluster DNS configuration was changed',
  rationale:
    'Whoever edits the coredns (or kube-dns) ConfigMap in kube-system decides where every service name resolves: a ' +
    'way to redirect traffic to a machine the attacker controls (MITRE T1557, Microsoft "CoreDNS poisoning"). The ' +
    'control plane and kube-system\'s add-on managers are excepted; people and other workloads are not.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Diff the ConfigMap against its source of truth and restore it.', snippet: 'kubectl -n kube-system get configmap coredns -o yaml\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'patch', resource: 'configmaps', namespace: 'kube-system', name: 'coredns' }] },
  covers: { elastic: ['Kubernetes CoreDNS or Kube-DNS Configuration Modified'] },
  attack: ['T1557'],
};

const CHANGES = new Set(['update', 'patch', 'delete']);

export const rule: DetectionRule = eventRule(meta, ['configmaps'], (event) => {
  const ref = event.objectRef;
  if (!CHANGES.has(event.verb ?? '') || ref?.namespace !== 'kube-system' || (ref.name !== 'coredns' && ref.name !== 'kube-dns')) return undefined;
  // The DNS add-on's manager in kube-system reconciles it; anyone else editing it is the signal.
  if (isControlPlaneUserName(event.user?.username ?? '') || !succeededOrUnknown(event)) return undefined;
  return { field: 'objectRef.name', message: `${username(event)} ${event.verb === 'delete' ? 'deleted' : 'changed'} the DNS configuration ${objectName(event)}` };
});
