import type { DetectionMeta, DetectionRule } from '../rule.js';
import { execCommand, sessionListener, suspiciousPurposes } from './streaming-session.js';
import { objectName, outcomeNote, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-EXEC-SUSPICIOUS-COMMAND',
  title: 'A command run in a container reached for credentials, the cloud metadata service, a download or a reverse shell',
  rationale:
    'The command of an exec is in the request URI (command= parameters), so the audit log shows what was run. Reading ' +
    'the service account token, the kubelet\'s or control plane\'s files or /etc/shadow, asking the cloud metadata ' +
    'service for the node\'s credentials, fetching a tool with curl or wget, or opening a shell back to the attacker ' +
    'are what an intruder does in a container and rarely what debugging needs (MITRE T1609, T1552, T1105, T1059). ' +
    'A command that only starts a shell hides what is typed into it: AUDIT-EXEC-INTO-POD reports those sessions.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [{ minor: 30, change: 'kubectl exec uses WebSockets: the verb is get instead of create' }] },
  remediation: {
    text: 'Treat the pod and its service account as compromised until explained: find who ran it, rotate what the command could read, and take pods/exec away from that identity.',
    snippet: 'kubeharden rbac who-can create pods/exec manifests/\n',
  },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'pods', subresource: 'exec' }] },
  covers: {
    elastic: [
      'Kubernetes Pod Exec Cloud Instance Metadata Access',
      'Kubernetes Pod Exec Sensitive File or Credential Path Access',
      'Kubernetes Pod Exec with Curl or Wget to HTTPS',
      'Kubernetes Pod Exec Potential Reverse Shell',
    ],
  },
  attack: ['T1609', 'T1552.001', 'T1552.005', 'T1552.007', 'T1105', 'T1059'],
};

export const rule: DetectionRule = {
  meta,
  // attach carries no command line.
  resources: ['pods/exec'],
  create: (context) =>
    sessionListener((logged, event) => {
      const command = execCommand(event.requestURI);
      if (command === '') return;
      const found = suspiciousPurposes(command);
      if (found.length === 0) return;
      context.report({ logged, field: 'requestURI', message: `${username(event)} ran a command in ${objectName(event)} that reaches for ${found.join(' and ')}: ${command}${outcomeNote(event)}` });
    }),
};
