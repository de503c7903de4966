import type { DetectionMeta, DetectionRule } from '../rule.js';
import { sessionListener } from './streaming-session.js';
import { objectName, outcomeNote, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-PORT-FORWARD',
  title: 'Someone opened a port-forward into a pod',
  rationale:
    'A port-forward tunnels from the client straight into a pod, past Services, Ingress and NetworkPolicies: a way to ' +
    'reach databases and admin ports that are not exposed (MITRE T1572). Falco matches every stage of the request; ' +
    'here a tunnel is one finding, reported when it opens (ResponseStarted) or, failing that, when it ends.',
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

export const rule: DetectionRule = {
  meta,
  resources: ['pods/portforward'],
  create: (context) =>
    sessionListener((logged, event) => {
      const ports = new URLSearchParams(event.requestURI?.split('?')[1] ?? '').getAll('ports').join(', ');
      context.report({ logged, field: 'requestURI', message: `${username(event)} port-forwarded into ${objectName(event)}${ports ? ` (ports ${ports})` : ''}${outcomeNote(event)}` });
    }),
};
