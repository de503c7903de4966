import { decisionOf } from '../../event.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-ANONYMOUS-ALLOWED',
  title: 'The API server allowed a request without credentials',
  rationale:
    'An anonymous request that is authorized means something grants rights to system:anonymous or ' +
    'system:unauthenticated: anyone who can reach the API server has them (MITRE T1133). Health probes are excepted, ' +
    'as Falco does.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Remove bindings to system:anonymous and system:unauthenticated, or run kube-apiserver with --anonymous-auth=false.', snippet: 'kubeharden rbac subject Group system:unauthenticated manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ user: { name: 'system:anonymous', groups: ['system:unauthenticated'] }, verb: 'get', resource: 'pods' }] },
  covers: { falco: ['Anonymous Request Allowed'], elastic: ['Kubernetes Anonymous Request Authorized by Unusual User Agent', 'Kubernetes Anonymous User Create/Update/Patch Pods Request'] },
  attack: ['T1133', 'T1078.001'],
};

const PROBES = ['/healthz', '/livez', '/readyz'];

export const rule: DetectionRule = eventRule(meta, undefined, (event) => {
  if (event.user?.username !== 'system:anonymous' || decisionOf(event) !== 'allow') return undefined;
  const path = event.requestURI?.split('?')[0] ?? '';
  if (PROBES.some((probe) => path === probe || path.startsWith(`${probe}/`))) return undefined;
  return { field: 'annotations["authorization.k8s.io/decision"]', message: `an anonymous request was allowed: ${event.verb} ${event.requestURI} (answered ${event.responseStatus?.code ?? '?'})` };
}, { messageHasOutcome: true });
