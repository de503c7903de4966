import type { DetectionMeta, DetectionRule } from '../rule.js';
import { execCommand, objectName, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-EXEC-INTO-POD',
  title: 'Someone ran a command in, or attached to, a container',
  rationale:
    'exec and attach give a shell inside a running workload, with its service account token, its secrets and its ' +
    'network position: the most common step after stolen credentials (MITRE T1609). Routine debugging looks the same, ' +
    'so each one should be known and explained. One finding per request: on ResponseStarted, when the connection ' +
    'upgrades (as Falco), or on ResponseComplete when the policy left that stage out or the attempt failed (as Elastic).',
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

/**
 * Requests reported at ResponseStarted whose ResponseComplete has not been seen yet. A policy that omits
 * ResponseComplete, or a log cut short, would let the set grow forever; past this many the oldest are forgotten
 * (an exec session that outlives ten thousand newer ones is reported a second time when it ends, at worst).
 */
const MAX_OPEN_SESSIONS = 10_000;

export const rule: DetectionRule = {
  meta,
  resources: ['pods/exec', 'pods/attach'],
  create(context) {
    const open = new Set<string>();
    return {
      event(logged) {
        const { event } = logged;
        const stage = event.stage;
        if (stage !== 'ResponseStarted' && stage !== 'ResponseComplete') return;
        // create over SPDY; get when kubectl (1.30+) upgrades to a WebSocket.
        if (event.verb !== 'create' && event.verb !== 'get') return;
        const id = event.auditID ?? '';
        if (stage === 'ResponseComplete') {
          if (open.delete(id)) return;
        } else if (id !== '') {
          open.add(id);
          if (open.size > MAX_OPEN_SESSIONS) open.delete(open.values().next().value as string);
        }
        const what = event.objectRef?.subresource === 'attach' ? 'attached to' : "exec'd into";
        const command = execCommand(event.requestURI);
        const code = event.responseStatus?.code;
        const refused = code !== undefined && code >= 400 ? ` (refused: ${code})` : '';
        context.report({ logged, field: 'requestURI', message: `${username(event)} ${what} ${objectName(event)}${command ? ` (command: ${command})` : ''}${refused}` });
      },
    };
  },
};
