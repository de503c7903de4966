import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isSystemUserName, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-TOKEN-REQUEST',
  title: 'A person requested a service account token',
  rationale:
    'The TokenRequest API mints a token for any service account the caller may create tokens for: a person doing so ' +
    'walks away with that account\'s rights, usable from anywhere until it expires (MITRE T1528, T1552.007). Kubelets ' +
    'and controllers do it constantly, people almost never.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 12,
    changes: [
      { minor: 20, change: 'TokenRequest is generally available' },
      { minor: 22, change: 'every pod gets its token from TokenRequest (bound service account tokens): kubelets call it constantly' },
      { minor: 24, change: 'kubectl create token makes minting a token one command' },
    ],
  },
  remediation: { text: 'Confirm why the token was needed; limit create on serviceaccounts/token.', snippet: 'kubeharden rbac who-can create serviceaccounts/token manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'serviceaccounts', subresource: 'token' }] },
  covers: { elastic: ['Kubernetes Service Account Token Created via TokenRequest API'] },
  attack: ['T1528', 'T1552.007'],
};

export const rule: DetectionRule = eventRule(meta, ['serviceaccounts/token'], (event, { settings }) => {
  const user = event.user?.username ?? '';
  if (event.verb !== 'create' || user === '' || isSystemUserName(user) || settings.trustedUsers.includes(user) || !succeededOrUnknown(event)) return undefined;
  return { field: 'objectRef', message: `${username(event)} created a token for service account ${objectName(event)}` };
});
