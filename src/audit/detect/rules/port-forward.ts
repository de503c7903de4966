import type { DetectionMeta } from '../rule.js';
import { eventRule, objectName, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-PORT-FORWARD',
  title: 'Someone opened a port-forward into a pod',
  rationale:
    'A port-forward tunnels from the client straight into a pod, past Services, Ingress and NetworkPolicies: a way to ' +
    'reach databases and admin ports that are not exposed (MITRE T1572-style tunnelling, Falco "port-forward").',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm the tunnel was expected; limit create on pods/portforward to the people who debug those workloads.', snippet: 'kubeharden rbac who-can create pods/portforward manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'pods', subresource: 'portforward' }] },
  covers: { falco: ['port-forward'] },
  attack: ['T1572'],
};

export const rule = eventRule(meta, ['pods/portforward'], (event) => {
  if (event.verb !== 'create' && event.verb !== 'get') return undefined;
  const ports = new URLSearchParams(event.requestURI?.split('?')[1] ?? '').getAll('ports').join(', ');
  return { field: 'requestURI', message: `${username(event)} port-forwarded into ${objectName(event)}${ports ? ` (ports ${ports})` : ''}` };
});
