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
  remediation: { text: 'Block the address at the network edge; keep the API server off the internet.', snippet:
      'gcloud container clusters update CLUSTER --enable-master-authorized-networks --master-authorized-networks 203.0.113.0/24\n' +
      'aws eks update-cluster-config --name CLUSTER --resources-vpc-config publicAccessCidrs=203.0.113.0/24\n',
  },
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
        // The API server audits a failed authentication once, at ResponseStarted; a 401 written by a handler
        // further in (an aggregated API server's, say) arrives at ResponseComplete. Either is one request.
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
