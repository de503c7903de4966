import type { DetectionMeta, DetectionRule } from '../rule.js';
import { burstListener } from './burst.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-UNAUTHENTICATED-BURST',
  title: 'A burst of requests with bad or no credentials from one address',
  rationale:
    'Many requests that fail authentication from one address are password or token guessing, or a scanner mapping ' +
    'an exposed API server (MITRE T1110, T1595.003). The threshold and window are --burst-threshold and --burst-window.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Block the address at the network edge; keep the API server off the internet.', snippet: '# e.g. restrict the API server\'s load balancer to known ranges\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseStarted', requests: [{ user: null, verb: 'get', resource: 'pods' }] },
  covers: { elastic: ['Kubernetes Potential Endpoint Permission Enumeration Attempt by Anonymous User Detected'] },
  attack: ['T1110', 'T1595.003'],
};

export const rule: DetectionRule = {
  meta,
  create: (context) =>
    burstListener(
      context,
      ({ event }) => {
        if (event.responseStatus?.code !== 401) return undefined;
        // Failed authentication is audited once, at ResponseStarted; a 401 at ResponseComplete is a normal request's.
        if (event.stage !== 'ResponseStarted' && event.stage !== 'ResponseComplete') return undefined;
        const addresses = event.sourceIPs ?? [];
        // The last address is the connection's; earlier ones come from headers the client chose.
        return addresses[addresses.length - 1] ?? '(unknown address)';
      },
      (address, count, seconds, { event }) => ({
        field: 'responseStatus.code',
        message: `${count} requests from ${address} failed authentication in ${seconds} s (last: ${event.verb} ${event.requestURI}${event.responseStatus?.message ? `: ${event.responseStatus.message}` : ''})`,
      }),
    ),
};
