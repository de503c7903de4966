import { decisionOf } from '../../event.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { burstListener } from './burst.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-FORBIDDEN-BURST',
  title: 'A burst of forbidden requests from one user',
  rationale:
    'Many denied requests in a short time from one identity is what probing with a stolen token looks like: the ' +
    'attacker tries what the credential allows (MITRE T1613, Elastic\'s permission enumeration rules). The threshold ' +
    'and window are --burst-threshold and --burst-window.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Find where the credential is used from; rotate it if the use is not expected.', snippet: "jq -c 'select(.user.username == \"NAME\") | [.stageTimestamp, .sourceIPs, .verb, .requestURI]' audit.log\n" },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'list', resource: 'secrets', namespace: '' }, { verb: 'get', resource: 'pods' }] },
  covers: { elastic: ['Kubernetes Potential Endpoint Permission Enumeration Attempt Detected'] },
  attack: ['T1613'],
};

export const rule: DetectionRule = {
  meta,
  create: (context) =>
    burstListener(
      context,
      ({ event }) => {
        if (event.stage !== 'ResponseComplete' || !event.user?.username) return undefined;
        if (event.responseStatus?.code !== 403 && decisionOf(event) !== 'forbid') return undefined;
        // The last address is the connection's; earlier ones come from headers the client chose (and could rotate).
        const addresses = event.sourceIPs;
        return `${event.user.username}\u0000${addresses && addresses.length > 0 ? addresses[addresses.length - 1] : ''}`;
      },
      (key, count, seconds, { event }) => {
        const [user, address] = key.split('\u0000');
        return { field: 'responseStatus.code', message: `${user}${address ? ` from ${address}` : ''} was refused ${count} times in ${seconds} s (last: ${event.verb} ${event.requestURI})` };
      },
    ),
};
