import type { DetectionMeta, DetectionRule } from '../rule.js';
import { execCommand, sessionListener, suspiciousPurposes } from './streaming-session.js';
import { objectName, outcomeNote, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-EXEC-INTO-POD',
  title: 'Someone ran a command in, or attached to, a container',
  rationale:
    'exec and attach give a shell inside a running workload, with its service account token, its secrets and its ' +
    'network position: the most common step after stolen credentials (MITRE T1609). Routine debugging looks the same, ' +
    'so each one should be known and explained. One finding per session: on ResponseStarted, when the connection ' +
    'upgrades (as Falco), or on ResponseComplete when the policy left that stage out or the attempt was refused (as ' +
    'Elastic). Both verbs count: create (SPDY, as Falco expects) and get (WebSockets, kubectl 1.30 and later). ' +
    'Commands that reach for credentials, metadata, downloads or reverse shells are left to ' +
    'AUDIT-EXEC-SUSPICIOUS-COMMAND, so one exec gives one finding.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [{ minor: 30, change: 'kubectl exec and attach use WebSockets: the verb is get instead of create' }] },
  remediation: {
    text: 'Confirm who ran it and why; take exec and attach rights (pods/exec, pods/attach) away from everyone who does not need them.',
    snippet: 'kubeharden rbac who-can create pods/exec manifests/\n',
  },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'pods', subresource: 'exec' }, { verb: 'get', resource: 'pods', subresource: 'attach' }] },
  covers: { falco: ['Attach/Exec Pod'], elastic: ['Kubernetes User Exec into Pod'] },
  attack: ['T1609'],
};

export const rule: DetectionRule = {
  meta,
  resources: ['pods/exec', 'pods/attach'],
  create: (context) =>
    sessionListener((logged, event) => {
      const command = execCommand(event.requestURI);
      // AUDIT-EXEC-SUSPICIOUS-COMMAND reports these, at a higher severity: one exec, one finding.
      if (event.objectRef?.subresource === 'exec' && suspiciousPurposes(command).length > 0) return;
      const what = event.objectRef?.subresource === 'attach' ? 'attached to' : "exec'd into";
      context.report({ logged, field: 'requestURI', message: `${username(event)} ${what} ${objectName(event)}${command ? ` (command: ${command})` : ''}${outcomeNote(event)}` });
    }),
};
