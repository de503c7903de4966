import type { ControlMeta, ObjectControl } from '../../engine/types.js';
import { array, record, stringOf } from '../../util/object.js';
import { objectRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'NET-NO-EXTERNAL-IPS',
  title: 'Services must not set externalIPs',
  rationale:
    'Anyone who can create a Service with externalIPs can intercept traffic to those addresses from every pod ' +
    '(CVE-2020-8554); clusters should block the field with the DenyServiceExternalIPs admission plugin.',
  nsaSection: 'Network separation and hardening (CVE-2020-8554 man-in-the-middle through Service externalIPs)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove spec.externalIPs; expose the Service through a LoadBalancer or Ingress instead.',
    snippet: 'spec:\n  type: LoadBalancer\n',
  },
  references: { trivy: ['KSV-0108'], cis: ['1.2.3'] },
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  admission: {
    validations: () => [objectRule(meta, { violates: celField('object', 'spec.externalIPs', (v) => `type(${v}) == list && size(${v}) > 0`), field: 'spec.externalIPs', must: 'must be empty' })],
  },
  kinds: ['Service'],
  check({ object }) {
    const externalIPs = array(record(object.spec)?.externalIPs);
    return externalIPs.length === 0
      ? []
      : [{ path: ['spec', 'externalIPs'], message: `Service claims external IPs ${externalIPs.map(stringOf).join(', ')} (CVE-2020-8554)` }];
  },
};
