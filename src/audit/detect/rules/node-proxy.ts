import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isControlPlaneUserName, objectName, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-NODE-PROXY',
  title: 'Someone reached a kubelet through the API server (nodes/proxy)',
  rationale:
    'nodes/proxy forwards to the kubelet\'s API, which runs commands in any pod of the node, and is not covered by ' +
    'the audit of pods/exec: a quiet way to execute on nodes (MITRE T1611, T1613). Metrics and health paths are ' +
    'excepted, as Elastic does; unlike Elastic, workloads\' service accounts are judged too, since a stolen token ' +
    'with nodes/proxy rights is exactly how this is abused (Stratus Red Team k8s.privilege-escalation.nodes-proxy).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Find out why; grant nodes/proxy to monitoring only, and never the create verb.', snippet: 'kubeharden rbac who-can create nodes/proxy manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'get', resource: 'nodes', subresource: 'proxy', namespace: '', name: 'worker-1' }] },
  covers: { elastic: ['Kubernetes API Server Proxying Request to Kubelet'] },
  attack: ['T1611', 'T1613', 'T1550.001'],
};

const MONITORING = /\/proxy\/(metrics|stats|healthz|configz)(\/|$|\?)/;

export const rule: DetectionRule = eventRule(meta, ['nodes/proxy'], (event) => {
  if (isControlPlaneUserName(event.user?.username ?? '') || MONITORING.test(event.requestURI ?? '')) return undefined;
  return { field: 'requestURI', message: `${username(event)} reached the kubelet of node ${objectName(event)}: ${event.verb} ${event.requestURI}` };
});
