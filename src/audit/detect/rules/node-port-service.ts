import type { DetectionMeta, DetectionRule } from '../rule.js';
import { bodyField, eventRule, objectName, username, writtenObject } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-NODEPORT-SERVICE',
  title: 'A Service was exposed on every node\'s port (NodePort)',
  rationale:
    'A NodePort opens the service on every node\'s address, past load balancers and firewalls in front of them: an ' +
    'easy way to expose an internal service, or a backdoor (MITRE T1133).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Use a ClusterIP Service behind an Ingress or a restricted LoadBalancer.', snippet: 'spec:\n  type: ClusterIP\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Request', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'services', name: '' }] },
  covers: { falco: ['Create NodePort Service'], elastic: ['Kubernetes Exposed Service Created With Type NodePort'] },
  attack: ['T1133'],
};

export const rule: DetectionRule = eventRule(meta, ['services'], (event) => {
  if (event.verb !== 'create' && event.verb !== 'update' && event.verb !== 'patch') return undefined;
  const service = writtenObject(event);
  if ((service?.spec as { type?: unknown } | undefined)?.type !== 'NodePort') return undefined;
  return { field: `${bodyField(event)}.spec.type`, message: `${username(event)} ${event.verb === 'create' ? 'created' : 'changed'} Service ${objectName(event)} as a NodePort` };
});
